// Scripted editing session for scripts/bench-app.sh: the demo open, then for PDZ_BENCH_MINUTI
// minutes a user's round (type in each scheda, autosave, Ctrl+F, history, the PDF preview), with the
// memory of the app and its WebKit processes (RSS and PSS) printed at the half and at the end.
// Prints figures, asserts nothing but that the app answers.
import { remote } from "webdriverio";
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const APP = process.env.PDZ_APP, DB = process.env.PDZ_DB, PORT = Number(process.env.PDZ_DRIVER_PORT ?? 4444);
const MINUTI = Number(process.env.PDZ_BENCH_MINUTI ?? 10);
const ETICHETTA = process.env.PDZ_BENCH_ETICHETTA ?? "";

function memoria() {
  let app = "";
  try { app = execFileSync("pgrep", ["-n", "-x", "pianozona-app"], { encoding: "utf8" }).trim(); } catch { return null; }
  const figli = (p) => { try { return execFileSync("pgrep", ["-P", p], { encoding: "utf8" }).split(/\s+/).filter(Boolean); } catch { return []; } };
  const tutti = [app, ...figli(app)];
  let rss = 0, pss = 0; const dett = [];
  for (const p of tutti) {
    try {
      const st = fs.readFileSync(`/proc/${p}/status`, "utf8");
      const r = Number(st.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      const s = Number(fs.readFileSync(`/proc/${p}/smaps_rollup`, "utf8").match(/Pss:\s+(\d+)/)?.[1] ?? 0);
      rss += r; pss += s; dett.push(`${fs.readFileSync(`/proc/${p}/comm`, "utf8").trim()}:${Math.round(s / 1024)}`);
    } catch { /* process gone */ }
  }
  return { rss: Math.round(rss / 1024), pss: Math.round(pss / 1024), dett: dett.join(" ") };
}
function stampa(quando) {
  const m = memoria();
  console.log(m ? `${ETICHETTA}${quando}: RSS ${m.rss} MB, PSS ${m.pss} MB (PSS per processo, MB: ${m.dett})` : `${ETICHETTA}${quando}: processo non trovato`);
}

const browser = await remote({
  hostname: "127.0.0.1", port: PORT, logLevel: "error", connectionRetryCount: 0, connectionRetryTimeout: 60000,
  capabilities: { "tauri:options": { application: APP, args: ["--db", DB, "--esempio"] } },
});
try {
  try { await browser.setWindowRect(0, 0, 1366, 768); } catch { /* default size */ }
  const t = (id) => browser.$(`[data-testid="${id}"]`);
  await (await t("nav-panoramica")).waitForDisplayed({ timeout: 60000 });
  await browser.pause(3000);
  stampa("esempio aperto");
  const t0 = Date.now(), fine = t0 + MINUTI * 60000, meta = t0 + (MINUTI * 60000) / 2;
  let metaStampata = false, giri = 0;
  while (Date.now() < fine) {
    const docs = await browser.$$('[data-testid="nav-doc"]');
    for (let i = 0; i < docs.length && Date.now() < fine; i++) {
      await (await browser.$$('[data-testid="nav-doc"]'))[i].click();
      const testo = await browser.$(".contenuto textarea");
      if (await testo.isExisting()) {
        await testo.scrollIntoView();
        await testo.click();
        await browser.keys(["Control", "End"]);
        await testo.addValue(` Prova ${giri}.`);
      }
      await browser.pause(1500);
      if (!metaStampata && Date.now() >= meta) { stampa(`minuto ${Math.round((Date.now() - t0) / 60000)}`); metaStampata = true; }
    }
    await browser.keys(["Control", "f"]);
    const campo = await t("trova-testo");
    if (await campo.isExisting()) { await campo.addValue("progetto"); await browser.pause(800); await browser.keys(["Escape"]); }
    await (await t("apri-revisioni")).click();
    await browser.pause(1500);
    await browser.keys(["Escape"]);
    await (await t("apri-anteprima")).click();
    const ant = await t("anteprima");
    await ant.waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(async () => Number(await ant.getAttribute("data-pagine")) > 0, { timeout: 120000 });
    await browser.pause(2000);
    await (await t("anteprima-chiudi")).click();
    giri++;
  }
  stampa(`minuto ${Math.round((Date.now() - t0) / 60000)} (${giri} giri)`);
} finally {
  try { await browser.deleteSession(); } catch { /* gone */ }
}
