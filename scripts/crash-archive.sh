#!/usr/bin/env bash
# Crash test of the archive: N rounds (default 60) of import, save (restore of a revision),
# restore-backup, export and backup through the real CLI, each SIGKILLed at a random moment.
# After every round: nothing acknowledged is lost (acknowledged = the command printed its result);
# every 10 rounds and at the end: PRAGMA integrity_check and the FTS5 integrity check pass.
# Exported files are never partial; one round in four also runs the day's automatic backup in the
# background, which is whole or absent after a kill. Prints the figures; exit 1 on any loss or damage.
#
#   scripts/crash-archive.sh [N]      (PIANOZONA_BIN=path/to/pianozona to choose the binary)
set -euo pipefail
N="${1:-60}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${PIANOZONA_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/pianozona}"
[ -x "$BIN" ] || { echo "binario non trovato: $BIN (cargo build, o PIANOZONA_BIN=...)" >&2; exit 2; }
exec python3 - "$N" "$BIN" "$ROOT" <<'PY'
import json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

n, binary, root = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(int(os.environ.get("CRASH_SEED", "11")))
work = tempfile.mkdtemp(prefix="pz-crash-")
db = os.path.join(work, "archivio.sqlite")
demo = json.load(open(os.path.join(root, "assets/demo/oglio-po-2021-2023-quota-premiale.json"), encoding="utf-8"))
env = dict(os.environ)
env.pop("PIANOZONA_TEMPLATES", None)

def cli(*args, timeout=120):
    return subprocess.run([binary, "--db", db, *args], capture_output=True, text=True, env=env, timeout=timeout)

def import_file(tag):
    d = json.loads(json.dumps(demo))
    d["fascicolo"]["title"] = f"crash {tag}"
    p = os.path.join(work, f"in-{tag}.json")
    with open(p, "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False)
    return p

def listing():
    o = cli("list", "--all")
    if o.returncode != 0:
        raise SystemExit(f"list failed: {o.stderr}")
    out = {}
    for line in o.stdout.splitlines():
        parts = line.split("\t")
        out[int(parts[0])] = (parts[1], int(parts[3].split()[-1]))
    return out

def integrity():
    c = sqlite3.connect(db)
    try:
        ok = c.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            return f"integrity_check: {ok}"
        c.execute("INSERT INTO search(search) VALUES('integrity-check')")
        return None
    except sqlite3.DatabaseError as e:
        return f"FTS5 integrity-check: {e}"
    finally:
        c.close()

# expected: id -> (title, minimum head revision) for everything acknowledged
expected = {}
for k in range(3):
    o = cli("import", import_file(f"base{k}"))
    assert o.returncode == 0, o.stderr
    expected[int(o.stdout.split()[-1])] = (f"crash base{k}", 1)
bak = os.path.join(work, "copia.sqlite")
assert cli("backup", bak).returncode == 0
backup_state = dict(expected)

# typical durations, to aim the kills inside the commands
def timed(*a):
    ts = []
    for _ in range(3):
        t = time.time(); cli(*a); ts.append(time.time() - t)
    return sorted(ts)[1]
dur = {
    "import": timed("import", import_file("probe")),
    "save": timed("restore", "1", "1"),
    "export": timed("export", "1", "-o", os.path.join(work, "probe.json")),
    "restore-backup": 0.0,
    "backup": timed("backup", os.path.join(work, "probe.sqlite")),
}
expected = {i: (t, r) for i, (t, r) in ((i, v) for i, v in listing().items())}
dur["restore-backup"] = dur["backup"] * 2
ops = ["import"] * 4 + ["save"] * 4 + ["export"] * 2 + ["restore-backup", "backup"]
kills = real_kills = acked = daily_rounds = 0
per_op = {o: [0, 0, 0] for o in set(ops)}  # rounds, real kills, acknowledged
problems = []
export_path = os.path.join(work, "export.json")
t0 = time.time()
for rnd in range(n):
    op = rng.choice(ops)
    ids = sorted(expected)
    if op == "import":
        args = ["import", import_file(rnd)]
    elif op == "save":
        fid = rng.choice(ids)
        args = ["restore", str(fid), "1"]
    elif op == "export":
        fid = rng.choice(ids)
        args = ["export", str(fid), "-o", export_path]
    elif op == "backup":
        args = ["backup", bak]
    else:
        args = ["restore-backup", bak]
    # one round in four also runs the day's automatic backup in the background (today's copy removed
    # first), so kills land inside it too
    daily = os.path.join(work, "copie-di-sicurezza", "archivio-" + time.strftime("%Y-%m-%d") + ".sqlite")
    if rng.random() < 0.25 and os.path.exists(daily):
        os.remove(daily)
        daily_rounds += 1
    p = subprocess.Popen([binary, "--db", db, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # about half the kills land inside the command, the rest just after it acknowledged
    time.sleep(rng.uniform(0, dur[op] * 2.2))
    kills += 1
    per_op[op][0] += 1
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        real_kills += 1
        per_op[op][1] += 1
    out, err = p.communicate()
    ok = p.returncode == 0 and out.strip() != ""
    if p.returncode not in (0, -9):
        problems.append(f"round {rnd} {op}: exit {p.returncode}: {err.strip()}")
    now = listing()
    if ok:
        acked += 1
        per_op[op][2] += 1
        if op == "import":
            expected[int(out.split()[-1])] = (f"crash {rnd}", 1)
        elif op == "save":
            new = int(out.split()[-1].rstrip("."))
            expected[fid] = (expected[fid][0], new)
        elif op == "backup":
            backup_state = dict(expected)
        elif op == "restore-backup":
            expected = dict(backup_state)
    elif op == "restore-backup":
        # killed: the archive is either the old one or the backup, whole
        if set(now) == set(backup_state) and all(now[i][0] == backup_state[i][0] for i in now):
            expected = dict(backup_state)
    elif op == "backup":
        pass  # the backup file is replaced by rename: old or new, both checked by restore-backup
    if op == "import" and not ok:
        # an unacknowledged import may or may not be there: accept it from now on if present
        for i, (t, r) in now.items():
            if t == f"crash {rnd}":
                expected[i] = (t, r)
    for i, (t, r) in expected.items():
        if i not in now or now[i][0] != t or now[i][1] < r:
            problems.append(f"round {rnd} {op}: fascicolo {i} «{t}» rev ≥ {r} lost (now {now.get(i)})")
    if op == "backup" and not ok:
        # the file is whole: the old copy or the new one
        if subprocess.run(["sqlite3", bak, "PRAGMA quick_check"], capture_output=True, text=True).stdout.strip() != "ok":
            problems.append(f"round {rnd}: backup file damaged after a kill")
    if op == "export" and os.path.exists(export_path):
        try:
            json.load(open(export_path, encoding="utf-8"))
        except ValueError:
            problems.append(f"round {rnd}: partial export")
    if os.path.exists(daily):
        if subprocess.run(["sqlite3", daily, "PRAGMA quick_check"], capture_output=True, text=True).stdout.strip() != "ok":
            problems.append(f"round {rnd}: the day's automatic backup is damaged")
    if rnd % 10 == 9 or rnd == n - 1:
        e = integrity()
        if e:
            problems.append(f"round {rnd}: {e}")
    if problems:
        break
elapsed = time.time() - t0
print(f"crash-archive: {kills} SIGKILLs sent ({real_kills} hit a running command), {acked} acknowledged operations, "
      f"{len(expected)} fascicoli checked, {len(problems)} problems, {elapsed:.0f} s")
print(f"  rounds with the day's automatic backup running in the background: {daily_rounds}")
for o, (r, k, a) in sorted(per_op.items()):
    print(f"  {o}: {r} rounds, {k} killed while running, {a} acknowledged")
print("integrity_check + FTS5 integrity-check: " + ("ok" if not problems else "see problems"))
for pr in problems[:20]:
    print("PROBLEM:", pr)
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if problems else 0)
PY
