// End-to-end scenario of the real app (tauri-driver -> WebKitWebDriver under Xvfb).
// Started by scripts/test.d/e2e.sh, which sets PDZ_APP, PDZ_WORK, PDZ_OUT and PDZ_DRIVER_PORT.
import { remote } from "webdriverio";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const APP = process.env.PDZ_APP;
const WORK = process.env.PDZ_WORK;
const OUT = process.env.PDZ_OUT;
const PORT = Number(process.env.PDZ_DRIVER_PORT ?? 4444);
if (!APP || !WORK || !OUT) { console.error("scenario: PDZ_APP, PDZ_WORK e PDZ_OUT sono obbligatori"); process.exit(2); }
const SHOTS = path.join(OUT, "screenshots");
fs.mkdirSync(SHOTS, { recursive: true });
const DB = path.join(WORK, "archivio.sqlite");

let passed = 0, failed = 0;
const failures = [];
let browser = null;

async function start(db) {
  browser = await remote({
    hostname: "127.0.0.1", port: PORT, logLevel: "error", connectionRetryCount: 0, connectionRetryTimeout: 60000,
    capabilities: { "tauri:options": { application: APP, args: ["--db", db] } },
  });
  await browser.setTimeout({ implicit: 0, script: 30000 });
  // The office laptop: the window fills a 1366×768 screen (no window manager under Xvfb).
  try { await browser.setWindowRect(0, 0, 1366, 768); } catch { /* keeps its default size */ }
}
async function stop() {
  if (browser) { try { await browser.deleteSession(); } catch { /* app already gone */ } browser = null; }
}
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    failures.push(name);
    console.log(`  FAIL ${name}: ${e?.stack ?? e}`);
    if (browser) await shot(`ERRORE-${name.replace(/[^a-z0-9]+/gi, "_").slice(0, 40)}`).catch(() => {});
    throw e; // the scenario is a chain: stop at the first failure
  }
}
// WebKitWebDriver's own screenshot hangs under Xvfb: grab the X display instead (the window fills it).
async function shot(name) {
  await browser.pause(150);
  execFileSync("import", ["-window", "root", "-display", process.env.DISPLAY, path.join(SHOTS, `${name}.png`)], { timeout: 20000 });
}
const $t = (id) => browser.$(`[data-testid="${id}"]`);
async function click(sel) { const el = typeof sel === "string" ? await browser.$(sel) : sel; await el.waitForClickable({ timeout: 15000 }); await el.click(); }
async function clickT(id) { await click(await $t(id)); }
async function type(sel, text) { const el = await browser.$(sel); await el.waitForDisplayed({ timeout: 15000 }); await el.click(); await el.clearValue(); await el.addValue(text); }
function assert(c, msg) { if (!c) throw new Error(msg); }
async function waitText(sel, re, timeout = 15000) {
  let last = "";
  await browser.waitUntil(async () => { last = await browser.execute((s) => document.querySelector(s)?.textContent ?? "", sel); return re.test(last); },
    { timeout, timeoutMsg: `atteso ${re} in ${sel}, trovato «${last}»` });
  return last;
}
async function waitSaved() { await waitText('[data-testid="stato-salvataggio"]', /Salvato/, 20000); }
/** Sets a big text in one go (like a paste) and fires the input event Svelte listens to. */
async function pasteText(sel, text) {
  await browser.execute((s, t) => {
    const el = document.querySelector(s); el.focus(); el.value = t; el.dispatchEvent(new Event("input", { bubbles: true }));
  }, sel, text);
}
/** A real paste event carrying text/plain, as Excel / Calc put it on the clipboard. */
async function pasteTsv(sel, tsv) {
  await browser.execute((s, t) => {
    const el = document.querySelector(s); el.focus();
    const dt = new DataTransfer(); dt.setData("text/plain", t);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, sel, tsv);
}
/** Opens the Verifica panel (folded into the header badge at 1366 px). */
async function apriVerifica() {
  const b = await $t("apri-verifica");
  if ((await b.getAttribute("aria-pressed")) !== "true") await b.click();
  await (await $t("pannello-verifica")).waitForDisplayed({ timeout: 5000 });
}
async function chiudiVerifica() {
  const b = await $t("apri-verifica");
  if ((await b.getAttribute("aria-pressed")) === "true") await b.click();
}
const words = (n, w = "parola") => Array.from({ length: n }, (_, i) => `${w}${i % 7 === 0 ? "" : i}`).join(" ");
const TITOLO = "Rete territoriale per l’inclusione abitativa";
const OBIETTIVO_FINE = "Obiettivo verificato da Oglio Po";


async function main() {
  console.log(`e2e: app ${APP}`);
  await start(DB);

  await step("primo avvio: benvenuto", async () => {
    await (await $t("configura-ufficio")).waitForDisplayed({ timeout: 30000 });
    await shot("01-benvenuto");
  });

  await step("profilo dell'ufficio (procedura guidata)", async () => {
    await clickT("configura-ufficio");
    await type('[data-testid="profilo-ambito"]', "Oglio Po");
    await type('[data-testid="profilo-ente"]', "Comune di Viadana");
    await shot("02-profilo");
    await clickT("profilo-avanti");
    await type('[data-testid="profilo-nome"]', "Maria Rossi");
    await clickT("profilo-avanti");
    await type('[data-testid="profilo-ats"]', "ATS Val Padana");
    await clickT("profilo-salva");
    await (await $t("nuovo-fascicolo")).waitForDisplayed({ timeout: 15000 });
    await shot("03-elenco-vuoto");
  });

  await step("nuovo fascicolo e nuova scheda", async () => {
    await clickT("nuovo-fascicolo");
    await type('[data-testid="nuovo-titolo"]', "Quota premiale 2021-2023 – prova");
    // The 2021-2023 quota premiale forms (the spec of this scenario), chosen by their visible name.
    const scelto = await browser.execute(() => {
      const s = document.querySelector('[data-testid="nuovo-modello"]');
      const o = s && [...s.options].find((x) => x.value === "qp2021");
      if (!o) return null;
      s.value = o.value; s.dispatchEvent(new Event("change", { bubbles: true }));
      return o.textContent;
    });
    assert(scelto, "modulistica 2021-2023 non disponibile");
    await clickT("crea-fascicolo");
    await (await $t("aggiungi-scheda")).waitForDisplayed({ timeout: 15000 });
    await shot("04-fascicolo");
    await clickT("aggiungi-scheda");
    await waitText("#doc-titolo", /SCHEDA|Scheda/i);
    const [w, h] = await browser.execute(() => [window.innerWidth, window.innerHeight]);
    assert(w <= 1366 && h <= 768, `finestra più grande dello schermo: ${w}×${h}`);
    await shot("04a-scheda-nuova");
  });

  await step("scheda vuota: Verifica neutra (da completare), nessun errore rosso sotto i campi", async () => {
    await browser.waitUntil(async () => (await $t("badge-da-fare")).isExisting(), { timeout: 10000, timeoutMsg: "manca il conteggio «da completare»" });
    const rossi = await browser.$$('[data-testid="rilievo-sezione"].errore');
    assert(rossi.length === 0, `${rossi.length} errori rossi sotto i campi di una scheda vuota`);
    await apriVerifica();
    const voci = await browser.$$('[data-testid="voce-da-fare"]');
    assert(voci.length > 0, "nessuna voce nell'elenco «Da completare»");
    const testi = await browser.execute(() => [...document.querySelectorAll('[data-testid="pannello-verifica"]')].map((e) => e.textContent).join(" "));
    assert(!/scheda-\d|«»/.test(testi), `identificativi interni nei messaggi: ${testi.slice(0, 300)}`);
    await shot("04b-verifica-da-completare");
    // Badge and panel agree.
    const conteggio = Number(await $t("conteggio-da-fare").getText());
    const badge = Number((await $t("badge-da-fare").getText()).match(/\d+/)[0]);
    assert(conteggio === badge, `badge ${badge} e pannello ${conteggio} non coincidono`);
    await chiudiVerifica();
  });

  await step("titolo della scheda", async () => {
    const titolo = await browser.$('input[data-testid^="testo-"]');
    await titolo.click();
    await titolo.addValue(TITOLO);
    await waitSaved();
  });

  let limitato = null;
  await step("testo oltre il limite: contatore rosso e rilievo della Verifica", async () => {
    // The first section with a word limit, from the template (not hard-coded).
    limitato = await browser.execute(() => {
      const c = [...document.querySelectorAll('[data-testid^="conta-"]')].find((e) => /\/\s*[\d.]+\s*parole/.test(e.textContent));
      return c ? c.getAttribute("data-testid").slice("conta-".length) : null;
    });
    assert(limitato, "nessuna sezione con limite di parole nella scheda");
    const conta = `[data-testid="conta-${limitato}"]`;
    const max = Number((await browser.$(conta).getText()).match(/\/\s*([\d.]+)/)[1].replace(/\./g, ""));
    const area = `textarea[data-testid="testo-${limitato}"]`;
    await pasteText(area, words(max - 2));
    const el = await browser.$(area);
    await el.click();
    await browser.keys(["Control", "End"]);
    await el.addValue(` ${OBIETTIVO_FINE}`); // typed for real: pushes the text past the limit
    const testo = await waitText(conta, new RegExp(`${(max + 3).toLocaleString("it-IT").replace(".", "\\.")} / `));
    assert(await browser.$(conta).getAttribute("class").then((c) => c.includes("oltre")), `contatore non rosso: ${testo}`);
    const colore = await browser.$(conta).getCSSProperty("color");
    assert(colore.parsed.hex === "#b3122e", `colore del contatore ${colore.value}`);
    await waitSaved();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="rilievo-sezione"]')).length > 0, { timeout: 15000, timeoutMsg: "nessun rilievo sotto la sezione" });
    const accanto = await browser.execute((c) => !!document.querySelector(c)?.closest("h2.intestazione-sez"), conta);
    assert(accanto, "il contatore di parole non è accanto al titolo della sezione");
    await apriVerifica();
    const testi = await browser.execute(() => [...document.querySelectorAll('[data-testid="rilievo"]')].map((e) => e.textContent));
    assert(testi.some((t) => /oltre il limite/i.test(t)), `nessun rilievo sul limite di parole: ${testi.join(" | ")}`);
    const badge = await $t("badge-errori");
    assert(await badge.isExisting(), "manca il contatore degli errori nella testata");
    await browser.$(`[data-sezione="${limitato}"]`).scrollIntoView();
    await shot("05-scheda-limite-parole");
  });

  await step("clic su un rilievo porta al campo", async () => {
    const i = await browser.execute(() => [...document.querySelectorAll('[data-testid="rilievo"]')].findIndex((e) => /oltre il limite/i.test(e.textContent)));
    assert(i >= 0, "rilievo sul limite di parole non trovato");
    const target = await browser.$$('[data-testid="rilievo"]')[i];
    await target.scrollIntoView();
    await target.click();
    await browser.waitUntil(async () => browser.execute((id) => document.activeElement?.getAttribute("data-testid") === `testo-${id}`, limitato),
      { timeout: 5000, timeoutMsg: "il fuoco non è sul campo del rilievo" });
  });

  await step("scrivere come in Word: Invio continua l'elenco, Ctrl+B grassetto", async () => {
    const aree = await browser.execute(() => [...document.querySelectorAll('textarea[data-testid^="testo-"]')].map((e) => e.getAttribute("data-testid")));
    const sel = `textarea[data-testid="${aree[aree.length - 1]}"]`;
    await pasteText(sel, "- prima voce");
    const el = await browser.$(sel);
    await el.click();
    await browser.keys(["Control", "End"]);
    await browser.keys(["Enter"]);
    await browser.keys("seconda");
    await browser.waitUntil(async () => (await el.getValue()) === "- prima voce\n- seconda", { timeout: 5000, timeoutMsg: `Invio non continua l'elenco: «${await el.getValue()}»` });
    await browser.execute((s) => { const t = document.querySelector(s); t.setSelectionRange(t.value.length - 7, t.value.length); }, sel);
    await browser.keys(["Control", "b"]);
    await browser.waitUntil(async () => (await el.getValue()).endsWith("- **seconda**"), { timeout: 5000, timeoutMsg: `Ctrl+B non mette il grassetto: «${await el.getValue()}»` });
    await browser.keys(["Control", "i"]);
    await browser.waitUntil(async () => (await el.getValue()).endsWith("- ***seconda***"), { timeout: 5000, timeoutMsg: `Ctrl+I non mette il corsivo: «${await el.getValue()}»` });
    await waitSaved();
    await shot("05b-scrittura-elenco");
    // "Aggiungi voce" (if this form has an item list): the cursor goes into the new item; Enter adds the next.
    const agg = await $t("aggiungi-voce");
    if (await agg.isExisting()) {
      await agg.scrollIntoView();
      await agg.click();
      await browser.waitUntil(async () => browser.execute(() => document.activeElement?.getAttribute("data-testid") === "voce-elenco"), { timeout: 5000, timeoutMsg: "il cursore non è nella nuova voce" });
      await browser.keys("uno");
      await browser.keys(["Enter"]);
      await browser.keys("due");
      const voci = await browser.execute(() => [...document.querySelectorAll('[data-testid="voce-elenco"]')].map((e) => e.value));
      assert(voci.slice(-2).join("|") === "uno|due", `voci: ${voci.join("|")}`);
    }
  });

  await step("azioni e barra del cronoprogramma trascinata", async () => {
    for (const nome of ["Accoglienza e orientamento", "Laboratori abitativi"]) {
      await clickT("aggiungi-attivita");
      const campi = await browser.$$('[data-testid="attivita-nome"]');
      const ultimo = campi[campi.length - 1];
      await ultimo.waitForDisplayed();
      await ultimo.addValue(nome);
    }
    await waitText("#doc-titolo", /N\. 2/); // still on the scheda we are writing
    const gantt = await $t("gantt");
    await gantt.scrollIntoView();
    const celle = await browser.$$('td[data-riga="0"]');
    assert(celle.length >= 12, `poche colonne nel cronoprogramma: ${celle.length}`);
    const a = celle[0], b = celle[5];
    const primaY = await browser.execute(() => document.querySelector('[data-testid="gantt"]').getBoundingClientRect().top);
    await browser.action("pointer").move({ origin: a }).down({ button: 0 }).move({ origin: b, duration: 200 }).up({ button: 0 }).perform();
    await browser.waitUntil(async () => (await browser.$$('td[data-riga="0"][aria-selected="true"]')).length === 6,
      { timeout: 5000, timeoutMsg: "la barra trascinata non copre 6 mesi" });
    const fuoco = await browser.execute(() => document.activeElement?.matches('td[data-riga="0"]') ?? false);
    assert(fuoco, "la cella cliccata non ha il fuoco della tastiera");
    await waitSaved();
    await browser.pause(400);
    const dopoY = await browser.execute(() => document.querySelector('[data-testid="gantt"]').getBoundingClientRect().top);
    assert(Math.abs(dopoY - primaY) < 2, `la pagina si è spostata di ${Math.round(dopoY - primaY)} px mentre si disegnava`);
    await shot("06-cronoprogramma");
    // Second row, by keyboard, past the deadline: last column then Space.
    // Keyboard: focus the row's first month, End jumps to the last column, Space marks it.
    // A click on the second row's first month: it takes the keyboard (and marks that month).
    await (await browser.$('td[data-riga="1"]')).click();
    await browser.waitUntil(async () => browser.execute(() => document.activeElement?.matches('td[data-riga="1"]') ?? false), { timeout: 3000, timeoutMsg: "la cella cliccata non ha il fuoco" });
    await browser.keys([" "]); // Space: the month goes away again, as the help says
    await browser.waitUntil(async () => (await browser.$$('td[data-riga="1"][aria-selected="true"]')).length === 0, { timeout: 5000, timeoutMsg: "Spazio non toglie il mese cliccato" });
    await browser.keys(["End"]);
    await browser.keys([" "]);
    await browser.waitUntil(async () => (await browser.$$('td.pieno.oltre')).length > 0, { timeout: 5000, timeoutMsg: "barra oltre la scadenza non segnalata" });
    await waitSaved();
    await apriVerifica();
    await browser.waitUntil(async () => (await browser.execute(() => [...document.querySelectorAll('[data-testid="rilievo"]')].some((e) => /31\/12\/2023/.test(e.textContent)))),
      { timeout: 10000, timeoutMsg: "nessun rilievo della Verifica sulla scadenza" });
    await shot("07-cronoprogramma-oltre-scadenza");
    // Undo the late month with the keyboard (Space toggles), to keep the data clean.
    await browser.keys([" "]);
    await browser.waitUntil(async () => (await browser.$$('td.pieno.oltre')).length === 0, { timeout: 5000, timeoutMsg: "Spazio non toglie il mese" });
  });

  await step("risorse economiche: incolla un blocco da foglio di calcolo e vede i totali", async () => {
    const tab = await $t("risorse-economiche");
    await tab.scrollIntoView();
    const aggiungi = await browser.$("button*=Aggiungi le righe delle azioni");
    if (await aggiungi.isExisting()) await aggiungi.click();
    await browser.waitUntil(async () => (await browser.$$('[data-re$="-0-0"]')).length > 0, { timeout: 5000, timeoutMsg: "nessuna riga nel bilancio" });
    const cella = await browser.$('[data-re$="-0-0"]').getAttribute("data-re");
    // Costo totale | fonti proprie | Comuni | ATS  (Italian numbers, as copied from Calc)
    await pasteTsv(`[data-re="${cella}"]`, "10.000,00\t2.500,00\t7.500,00\t\r\n5.150,50\t150,50\tabc\t5.000,00\r\n");
    await waitText('[data-testid="re-totale-cost"]', /15\.150,50/);
    await waitText('[data-testid="re-errore"]', /non è un importo|importo/);
    const inc = await $t("re-incolla").getText();
    assert(/Incollate 2 righe/.test(inc), inc);
    await waitText('[data-testid="re-totale-entrate"]', /15\.150,50/);
    await waitSaved();
    await chiudiVerifica();
    await tab.scrollIntoView();
    const [larga, box] = await browser.execute(() => { const t = document.querySelector('[data-testid="risorse-economiche"]'); return [t.scrollWidth, t.parentElement.clientWidth]; });
    assert(larga <= box + 1, `la riga del bilancio non sta nella pagina: ${larga} px su ${box}`);
    await shot("08-risorse-economiche");
    // Columns resizable as in Calc: drag the right edge of a column title.
    const th = () => browser.execute(() => { const r = document.querySelector('[data-testid="risorse-economiche"] thead th:nth-child(2)').getBoundingClientRect(); return { x: Math.round(r.right - 3), y: Math.round(r.top + r.height / 2), w: r.width }; });
    const a = await th();
    await browser.action("pointer").move({ origin: "viewport", x: a.x, y: a.y }).down({ button: 0 }).move({ origin: "viewport", x: a.x + 70, y: a.y, duration: 200 }).up({ button: 0 }).perform();
    const b = await th();
    assert(b.w > a.w + 40, `la colonna non si allarga trascinandone il bordo: ${a.w} → ${b.w} px`);
    await shot("08b-colonna-allargata");
    await browser.execute((x, y) => document.elementFromPoint(x, y).dispatchEvent(new MouseEvent("dblclick", { clientX: x, clientY: y, bubbles: true })), b.x, b.y);
    await browser.waitUntil(async () => Math.abs((await th()).w - a.w) < 3, { timeout: 3000, timeoutMsg: "il doppio clic sul bordo non rimette la larghezza" });
  });

  await step("importo negativo: messaggio chiaro, nulla perso", async () => {
    const cella = await browser.$('[data-re$="-1-2"]');
    await cella.click();
    await cella.clearValue();
    await cella.addValue("-500");
    await browser.keys(["Tab"]);
    await waitText('[data-testid="re-errore"]', /negativ/);
    await waitText('[data-testid="re-totale-cost"]', /15\.150,50/);
  });

  await step("50.000 parole incollate: contate e salvate", async () => {
    const ultima = await browser.execute(() => [...document.querySelectorAll('textarea[data-testid^="testo-"]')].pop()?.getAttribute("data-testid"));
    await pasteText(`textarea[data-testid="${ultima}"]`, words(50000, "testo"));
    await waitText(`[data-testid="conta-${ultima.slice(6)}"]`, /50\.000/);
    await waitSaved();
    await pasteText(`textarea[data-testid="${ultima}"]`, "Sostenibilità garantita dai Comuni dell’Ambito.");
    await waitSaved();
  });

  await step("pannello Verifica", async () => {
    await apriVerifica();
    await shot("09-verifica");
  });

  await step("opzioni di stampa in italiano", async () => {
    await chiudiVerifica();
    await clickT("nav-panoramica");
    const det = await browser.$("summary*=Opzioni di stampa");
    await det.waitForDisplayed({ timeout: 10000 });
    await det.click();
    const voci = await browser.execute(() => [...document.querySelectorAll(".opzioni option")].map((o) => o.textContent.trim()));
    const inglesi = voci.filter((v) => /^(box|x|numeric|long|suffix|prefix|full|short|inline|block|newline|comma|zero|dash)$/.test(v));
    assert(inglesi.length === 0, `opzioni in inglese: ${inglesi.join(", ")}`);
    await det.scrollIntoView();
    await shot("09b-opzioni-di-stampa");
    await (await browser.$('[data-testid="nav-doc"]*=Rete territoriale')).click();
  });

  await step("cronologia: sessioni di lavoro con il nome delle sezioni, differenze come tabelle", async () => {
    await clickT("apri-revisioni");
    const voce = await browser.$("dialog button.voce");
    await voce.waitForDisplayed({ timeout: 10000 });
    const titoli = await browser.execute(() => [...document.querySelectorAll("dialog button.voce strong")].map((e) => e.textContent.trim()));
    assert(titoli.length > 0 && titoli.every((t) => t && !/campo|campi|^Versione/.test(t)), `voci della cronologia: ${titoli.join(" | ")}`);
    const uguali = titoli.filter((t, i) => i > 0 && t === titoli[i - 1] && t === "Salvataggio automatico");
    assert(uguali.length === 0, `voci identiche: ${titoli.join(" | ")}`);
    const voci = await browser.$$("dialog button.voce");
    await voci[Math.min(1, voci.length - 1)].click();
    await browser.waitUntil(async () => (await browser.$$("dialog .diff")).length > 0, { timeout: 10000, timeoutMsg: "nessuna differenza mostrata" });
    const testo = await browser.execute(() => document.querySelector("dialog .dettaglio").textContent);
    assert(!/[{}]|"kind"|"rows"|activity|periods/.test(testo), `JSON nella cronologia: ${testo.slice(0, 300)}`);
    await shot("10-cronologia");
    await browser.keys(["Escape"]);
  });

  let larghezzaZoom = 0;
  await step("scrivere come in Word: schema delle sezioni, Trova (Ctrl+F), zoom ricordato", async () => {
    await (await browser.$('[data-testid="nav-doc"]*=Rete territoriale')).click();
    const voci = await browser.$$('[data-testid="schema"] button');
    assert(voci.length >= 8, `schema con ${voci.length} sezioni`);
    const ultima = voci[voci.length - 1];
    const titoloUltima = (await ultima.getText()).replace(/^\d+\.\s*/, "").trim();
    await ultima.click();
    await browser.waitUntil(async () => browser.execute((t) => {
      const h = [...document.querySelectorAll(".contenuto h2.intestazione-sez")].find((e) => e.textContent.includes(t));
      if (!h) return false;
      const r = h.getBoundingClientRect(), c = document.querySelector(".contenuto").getBoundingClientRect();
      return r.top >= c.top - 2 && r.top < c.top + c.height / 2;
    }, titoloUltima), { timeout: 5000, timeoutMsg: `lo schema non porta a «${titoloUltima}»` });
    await shot("10b-schema-sezioni");
    await browser.keys(["Control", "f"]);
    const campo = await $t("trova-testo");
    await campo.waitForDisplayed({ timeout: 5000 });
    await campo.addValue("verificato");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="trova-risultati"] li')).length >= 1, { timeout: 10000, timeoutMsg: "Trova non trova il testo scritto" });
    const luogo = await browser.execute(() => document.querySelector('[data-testid="trova-risultati"] .luogo').textContent);
    assert(!/scheda-\d|field|doc\//.test(luogo), `luogo con id interni: ${luogo}`);
    await browser.keys(["Enter"]);
    await browser.pause(400);
    await shot("10c-trova");
    await browser.keys(["Escape"]);
    const prima = await browser.execute(() => window.innerWidth);
    await browser.keys(["Control", "+"]);
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.dataset.zoom)) === "1.1", { timeout: 5000, timeoutMsg: "Ctrl++ non cambia lo zoom" });
    await browser.pause(300);
    larghezzaZoom = await browser.execute(() => window.innerWidth);
    assert(larghezzaZoom < prima - 50, `zoom non applicato: ${prima} → ${larghezzaZoom} px`);
    await shot("10d-zoom-110");
    await browser.keys(["Control", "0"]);
    await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) > larghezzaZoom + 50, { timeout: 5000, timeoutMsg: "Ctrl+0 non torna al 100%" });
  });

  const pdf = path.join(WORK, "fascicolo.pdf");
  await step("esporta PDF e ne controlla il testo", async () => {
    await browser.execute((p) => { window.__PDZ_TEST_PATHS__ = { pdf: p }; }, pdf);
    await clickT("esporta-pdf");
    await clickT("esporta-pdf-avvia");
    await (await $t("esporta-fatto")).waitForDisplayed({ timeout: 120000 });
    await shot("11-esportazione");
    assert(fs.existsSync(pdf) && fs.statSync(pdf).size > 1000, "PDF non scritto");
    const txt = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    assert(txt.includes("inclusione abitativa"), "il titolo della scheda non è nel PDF");
    assert(txt.includes("Obiettivo verificato"), "il testo digitato non è nel PDF");
  });

  await step("anteprima: lo stesso PDF dell'esportazione, miniature, ingrandimento, stampa del PDF", async () => {
    await clickT("esporta-anteprima");
    const ant = await $t("anteprima");
    await ant.waitForDisplayed({ timeout: 15000 });
    await browser.waitUntil(async () => Number(await ant.getAttribute("data-pagine")) > 0, { timeout: 60000, timeoutMsg: "l'anteprima non mostra pagine" });
    const pagine = Number(await ant.getAttribute("data-pagine"));
    const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
    const attese = Number(info.match(/Pages:\s+(\d+)/)[1]);
    assert(pagine === attese, `anteprima ${pagine} pagine, PDF esportato ${attese}`);
    assert((await browser.$$('[data-testid="miniatura"]')).length === pagine, "miniature mancanti");
    const sha = await ant.getAttribute("data-sha256");
    const atteso = (await import("node:crypto")).createHash("sha256").update(fs.readFileSync(pdf)).digest("hex");
    assert(sha === atteso, `l'anteprima non è il PDF esportato (${sha.slice(0, 12)} ≠ ${atteso.slice(0, 12)})`);
    await browser.waitUntil(async () => (await browser.$$('canvas.pagina[data-disegnata="1"]')).length > 0, { timeout: 30000, timeoutMsg: "nessuna pagina disegnata" });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="miniatura"] canvas[data-disegnata="1"]')).length > 0, { timeout: 30000, timeoutMsg: "nessuna miniatura disegnata" });
    await browser.pause(500);
    await shot("11b-anteprima");
    await clickT("anteprima-piu");
    await waitText('[data-testid="anteprima-zoom"]', /125%/);
    await browser.waitUntil(async () => (await browser.$$('canvas.pagina[data-disegnata="1"]')).length > 0, { timeout: 30000, timeoutMsg: "pagina non ridisegnata dopo l'ingrandimento" });
    await (await browser.$$('[data-testid="miniatura"]'))[pagine - 1].click();
    await waitText('[data-testid="anteprima-pagina"]', new RegExp(`Pagina ${pagine} di ${pagine}`));
    await browser.pause(300);
    await shot("11c-anteprima-ingrandita");
    // Verifica → Anteprima: a finding leads to the page of its section (the core's layout).
    await (await browser.$('[data-testid="anteprima-rilievi"] button:not([disabled])')).waitForDisplayed({ timeout: 10000 });
    // The finding on the earliest page (we are on the last one): a page that can scroll to the top.
    await browser.execute(() => {
      const bs = [...document.querySelectorAll('[data-testid="anteprima-rilievi"] button:not([disabled])')];
      bs.sort((a, b) => Number(a.dataset.paginaRilievo) - Number(b.dataset.paginaRilievo))[0].setAttribute("data-testid", "rilievo-scelto");
    });
    const rilievo = await $t("rilievo-scelto");
    const p = Number(await rilievo.getAttribute("data-pagina-rilievo"));
    assert(p < pagine, `il rilievo porta all'ultima pagina (${p}), già mostrata`);
    assert(p >= 1 && p <= pagine, `pagina del rilievo ${p}`);
    await rilievo.click();
    await waitText('[data-testid="anteprima-pagina"]', new RegExp(`Pagina ${p} di`));
    await browser.pause(400);
    await shot("11d-anteprima-rilievo-alla-pagina");
    // Stampa: the system dialog is modal (not drivable here): record what would be printed.
    await browser.execute(() => { window.print = () => { window.__stampate = [...document.querySelectorAll(".pagine-stampa img")].map((i) => `${i.naturalWidth}x${i.naturalHeight}`); }; });
    await clickT("anteprima-stampa");
    await browser.waitUntil(async () => browser.execute(() => Array.isArray(window.__stampate)), { timeout: 60000, timeoutMsg: "Stampa non ha preparato le pagine" });
    const stampate = await browser.execute(() => window.__stampate);
    assert(stampate.length === pagine, `stampa di ${stampate.length} pagine su ${pagine}`);
    assert(stampate.every((s) => /^12\d\dx17\d\d$/.test(s)), `pagine non A4 a 150 dpi: ${stampate.join(", ")}`);
    await clickT("anteprima-chiudi");
  });

  await step("stampa su una stampante CUPS (pianozona print) uguale all'esportazione", async () => {
    const cli = process.env.PDZ_CLI, stampante = process.env.PDZ_PRINTER, cartella = process.env.PDZ_PRINT_OUT;
    const elenco = execFileSync(cli, ["print", "--list"], { encoding: "utf8" });
    if (!stampante) { console.log("       (nessuna stampante PDF di CUPS: solo l'elenco delle stampanti)"); return; }
    assert(elenco.includes(stampante), `stampante ${stampante} non elencata: ${elenco}`);
    const prima = new Set(fs.existsSync(cartella) ? fs.readdirSync(cartella) : []);
    const out = execFileSync(cli, ["print", pdf, "--printer", stampante], { encoding: "utf8" });
    assert(/Inviato alla stampante/.test(out), out);
    let nuovo = null;
    await browser.waitUntil(async () => {
      const ora = fs.existsSync(cartella) ? fs.readdirSync(cartella).filter((f) => !prima.has(f) && f.endsWith(".pdf")) : [];
      nuovo = ora.length ? path.join(cartella, ora[0]) : null;
      return nuovo !== null && fs.statSync(nuovo).size > 1000;
    }, { timeout: 90000, interval: 500, timeoutMsg: `nessun PDF stampato in ${cartella}` });
    await browser.pause(1000);
    // The same words (the «BOZZA» watermark may come out at another place in the reading order).
    const parole = (f) => execFileSync("pdftotext", [f, "-"], { encoding: "utf8" }).split(/\s+/).filter(Boolean).sort().join(" ");
    const a = parole(pdf), b = parole(nuovo);
    assert(a === b, `il testo stampato differisce dall'esportazione (${a.length} / ${b.length} caratteri)`);
    const pagine = (f) => execFileSync("pdfinfo", [f], { encoding: "utf8" }).match(/Pages:\s+(\d+)/)[1];
    assert(pagine(pdf) === pagine(nuovo), `pagine stampate ${pagine(nuovo)}, esportate ${pagine(pdf)}`);
    fs.copyFileSync(nuovo, path.join(OUT, "stampa-cups.pdf"));
    const e = (() => { try { execFileSync(cli, ["print", pdf, "--printer", "non-esiste"], { encoding: "utf8", stdio: "pipe" }); return ""; } catch (x) { return String(x.stderr); } })();
    assert(/non esiste/.test(e) && !/\b(error|printer|does not exist)\b/i.test(e), `messaggio: ${e}`);
  });

  await step("firma PAdES del PDF esportato e verifica; PIN errato con messaggio chiaro", async () => {
    await clickT("esporta-pdf");
    await clickT("esporta-pdf-avvia");
    await (await $t("esporta-fatto")).waitForDisplayed({ timeout: 120000 });
    const pki = path.join(WORK, "pki");
    fs.mkdirSync(pki, { recursive: true });
    execFileSync("bash", [path.join(process.cwd(), "tests/support/sign/make_pki.sh"), pki], { stdio: "ignore", timeout: 120000 });
    await clickT("esporta-firma");
    await type('[data-testid="firma-cert"]', path.join(pki, "signer.p12"));
    await type('[data-testid="firma-pin"]', "sbagliato");
    await clickT("firma-avvia");
    const err = await waitText('[data-testid="firma-errore"]', /\S/, 30000);
    assert(!/error|invalid|failed/i.test(err), `messaggio non in italiano: ${err}`);
    await type('[data-testid="firma-pin"]', "test1234");
    await clickT("firma-avvia");
    await waitText('[data-testid="firma-esito"]', /Firmato/, 60000);
    const firmato = path.join(WORK, "fascicolo-firmato.pdf");
    assert(fs.existsSync(firmato), "PDF firmato non scritto");
    await clickT("firma-verifica");
    await waitText('[data-testid="verifica-esito"]', /Firma integra/, 30000);
    await shot("12-firma");
    // Smart card: the cards are looked for by themselves; the library path only under "Opzioni avanzate".
    await clickT("firma-sorgente-token");
    const carte = await $t("firma-carte");
    await carte.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => !/Ricerca delle smart card/.test(await carte.getText()), { timeout: 30000, timeoutMsg: "la ricerca delle smart card non finisce" });
    assert(!(await (await $t("firma-modulo")).isDisplayed()), "il percorso della libreria è in vista fuori dalle opzioni avanzate");
    assert((await (await $t("firma-pin")).getAttribute("type")) === "password", "il PIN non è un campo password");
    await (await $t("firma-marca")).click();
    await (await $t("firma-tsa")).waitForDisplayed({ timeout: 5000 });
    await shot("12b-firma-smart-card");
    await clickT("firma-avvia");
    await waitText('[data-testid="firma-errore"]', /smart card|PIN|marca temporale/, 10000);
    await clickT("firma-chiudi");
  });

  await step("riavvio: tutto è ancora lì", async () => {
    // The zoom chosen before closing is there at the next start.
    await browser.keys(["Control", "+"]);
    await browser.waitUntil(async () => Math.abs((await browser.execute(() => window.innerWidth)) - larghezzaZoom) < 3, { timeout: 5000, timeoutMsg: "Ctrl++ non cambia lo zoom" });
    await stop();
    await start(DB);
    const voce = await browser.$("button.titolo*=Quota premiale");
    await voce.waitForDisplayed({ timeout: 30000 });
    const larghezza = await browser.execute(() => window.innerWidth);
    assert(Math.abs(larghezza - larghezzaZoom) < 3, `zoom non ricordato: ${larghezza} px invece di ${larghezzaZoom}`);
    await browser.keys(["Control", "0"]);
    await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) > larghezzaZoom + 50, { timeout: 5000, timeoutMsg: "Ctrl+0 non torna al 100%" });
    await shot("13-elenco-dopo-riavvio");
    await voce.click();
    await (await browser.$('[data-testid="nav-doc"]*=Rete territoriale')).click();
    const titolo = await browser.$('input[data-testid^="testo-"]');
    await titolo.waitForDisplayed({ timeout: 15000 });
    assert((await titolo.getValue()) === TITOLO, "titolo perso dopo il riavvio");
    await waitText(`[data-testid="conta-${limitato}"]`, / \/ /);
    assert((await browser.$$('td[data-riga="0"][aria-selected="true"]').length) === 6, "barra del cronoprogramma persa");
    await waitText('[data-testid="re-totale-cost"]', /15\.150,50/);
    const v = await browser.$(`textarea[data-testid="testo-${limitato}"]`).getValue();
    assert(v.endsWith(OBIETTIVO_FINE), "testo della sezione perso");
  });

  await step("ricerca in tutti i testi", async () => {
    await clickT("torna-elenco");
    await type('[data-testid="cerca"]', "verificato");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="elenco-fascicoli"] li')).length === 1, { timeout: 10000, timeoutMsg: "la ricerca non trova il fascicolo" });
    await shot("14-ricerca");
    await type('[data-testid="cerca"]', "zzznessunrisultato");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="elenco-fascicoli"] li')).length === 0, { timeout: 10000 });
    await pasteText('[data-testid="cerca"]', "");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="elenco-fascicoli"] li')).length === 1, { timeout: 10000, timeoutMsg: "l'elenco completo non torna" });
  });

  await step("duplica, elimina con conferma e ripristina dal cestino", async () => {
    const voci = () => browser.execute(() => document.querySelectorAll('[data-testid="elenco-fascicoli"] li').length);
    await (await browser.$("button=Duplica")).click();
    await browser.waitUntil(async () => (await voci()) === 2, { timeout: 10000, timeoutMsg: "la copia non compare" });
    const elimina = await browser.$$('[data-testid="elenco-fascicoli"] button.pericolo');
    await elimina[elimina.length - 1].click();
    await (await $t("conferma")).waitForDisplayed({ timeout: 5000 });
    await shot("15-conferma-eliminazione");
    await clickT("conferma");
    await browser.waitUntil(async () => (await voci()) === 1, { timeout: 10000, timeoutMsg: "il fascicolo non va nel cestino" });
    await (await browser.$("button*=Cestino")).click();
    await (await browser.$("button=Ripristina")).click();
    await browser.waitUntil(async () => (await voci()) === 2, { timeout: 10000, timeoutMsg: "il ripristino non riporta il fascicolo" });
    const di_nuovo = await browser.$$('[data-testid="elenco-fascicoli"] button.pericolo');
    await di_nuovo[di_nuovo.length - 1].click();
    await clickT("conferma");
    await browser.waitUntil(async () => (await voci()) === 1, { timeout: 10000 });
  });

  await step("importazione di un file di un altro programma: messaggio in italiano", async () => {
    const estraneo = path.join(WORK, "estraneo.json");
    fs.writeFileSync(estraneo, JSON.stringify({ name: "package", version: "1.0.0", dependencies: {} }));
    await browser.execute((p) => { window.__PDZ_TEST_PATHS__ = { import: p }; }, estraneo);
    await clickT("importa");
    const msg = await waitText('[data-testid="notifica"]', /\S/);
    assert(/fascicolo|non|valido/i.test(msg), `messaggio: ${msg}`);
    await shot("16-importazione-rifiutata");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="elenco-fascicoli"] li')).length === 1, { timeout: 10000, timeoutMsg: "l'elenco è cambiato" });
  });

  await step("ripristino da copia: un file che non è un nostro archivio è rifiutato in italiano e nulla cambia", async () => {
    const vuoto = path.join(WORK, "vuoto.sqlite");
    fs.writeFileSync(vuoto, "");
    await browser.execute((p) => { window.__PDZ_TEST_PATHS__ = { ripristino: p }; }, vuoto);
    await clickT("apri-ripristino");
    await (await $t("ripristino")).waitForDisplayed({ timeout: 10000 });
    await clickT("ripristino-scegli");
    await clickT("ripristino-conferma");
    const msg = await waitText('[data-testid="ripristino-errore"]', /\S/);
    assert(/vuoto|archivio/i.test(msg) && !/\b(error|database|file is)\b/i.test(msg), `messaggio: ${msg}`);
    await shot("16b-ripristino-rifiutato");
    await browser.keys(["Escape"]);
    await browser.execute(() => { window.__PDZ_TEST_PATHS__ = {}; });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="elenco-fascicoli"] li')).length === 1, { timeout: 10000, timeoutMsg: "l'elenco è cambiato" });
  });

  await step("esempio dimostrativo", async () => {
    await clickT("elenco-apri-esempio");
    await clickT("esempio-oglio-po-2021-2023-quota-premiale");
    await (await $t("nav-panoramica")).waitForDisplayed({ timeout: 30000 });
    await (await $t("banner-esempio")).waitForDisplayed({ timeout: 5000 });
    await shot("17-esempio-panoramica");
    const docs = await browser.$$('[data-testid="nav-doc"]');
    assert(docs.length > 0, "l'esempio non ha schede");
    await docs[0].click();
    await browser.pause(500);
    await shot("18-esempio-scheda");
    await (await $t("gantt")).scrollIntoView();
    await shot("19-esempio-cronoprogramma");
    await (await $t("risorse-economiche")).scrollIntoView();
    await shot("20-esempio-risorse");
  });

  await step("importo scritto male: importato com'è scritto, in rosso con il suggerimento, e corretto diventa un numero", async () => {
    await clickT("torna-elenco");
    const demo = JSON.parse(fs.readFileSync(path.join(process.cwd(), "assets/demo/oglio-po-2021-2023-quota-premiale.json"), "utf8"));
    const s1 = demo.fascicolo.documents.find((d) => d.fields?.risorse_economiche?.rows?.length);
    s1.fields.risorse_economiche.rows[0].cost = "1.23,4";
    const f = path.join(WORK, "come-scritto.json");
    fs.writeFileSync(f, JSON.stringify(demo));
    await browser.execute((p) => { window.__PDZ_TEST_PATHS__ = { import: p }; }, f);
    await clickT("importa");
    await (await $t("nav-panoramica")).waitForDisplayed({ timeout: 30000 });
    const docs = await browser.$$('[data-testid="nav-doc"]');
    let trovato = false;
    for (const d of docs) {
      await d.click();
      await browser.pause(400);
      if (await browser.$("input[data-come-scritto]").isExisting()) { trovato = true; break; }
    }
    assert(trovato, "nessuna cella con l'importo come scritto");
    const cella = await browser.$("input[data-come-scritto]");
    await cella.scrollIntoView({ block: "center" });
    assert((await cella.getValue()) === "1.23,4", `valore: ${await cella.getValue()}`);
    const titolo = await cella.getAttribute("title");
    assert(titolo === "Importo non valido: «1.23,4»", `suggerimento: ${titolo}`);
    await shot("20b-importo-come-scritto");
    await cella.click();
    await cella.clearValue();
    await cella.addValue("2.150,00");
    await browser.keys(["Tab"]);
    await browser.waitUntil(async () => !(await browser.$("input[data-come-scritto]").isExisting()),
      { timeout: 10000, timeoutMsg: "la cella corretta è ancora segnata come scritta male" });
    await browser.pause(300);
    await shot("20c-importo-corretto");
    await browser.execute(() => { window.__PDZ_TEST_PATHS__ = {}; });
  });

  await step("2025: tabella dei fondi, righe incollate da Calc e fondo scelto dai suggerimenti con Invio", async () => {
    await clickT("torna-elenco");
    await browser.execute((p) => { window.__PDZ_TEST_PATHS__ = { import: p }; }, path.join(process.cwd(), "assets/demo/piano-di-zona-2025-2027-lodi.json"));
    await clickT("importa");
    await (await $t("nav-panoramica")).waitForDisplayed({ timeout: 30000 });
    const i = await browser.execute(() => [...document.querySelectorAll('[data-testid="nav-doc"]')].findIndex((e) => /fondi/i.test(e.textContent)));
    assert(i >= 0, "nessun documento con la tabella dei fondi");
    await (await browser.$$('[data-testid="nav-doc"]'))[i].click();
    const tab = await browser.$('[data-testid^="tabella-fondi-"]');
    await tab.waitForDisplayed({ timeout: 10000 });
    const sez = (await tab.getAttribute("data-testid")).slice("tabella-fondi-".length);
    const nuovo = `[data-testid="ft-nuovo-${sez}"]`;
    await (await browser.$(nuovo)).scrollIntoView();
    await pasteTsv(nuovo, "Fondo prova e2e\t1.000,00\t2.500,50\t-\r\nFondo secondo e2e\t\t300,00\t\r\n");
    await waitText(`[data-testid="ft-incolla"]`, /Incollate 2 righe \(2 nuove\)/);
    const righe = await browser.execute(() => [...document.querySelectorAll("textarea.etichetta")].map((t) => t.value));
    assert(righe.includes("Fondo prova e2e") && righe.includes("Fondo secondo e2e"), `righe: ${righe.join(" | ")}`);
    const valori = await browser.execute(() => { const t = [...document.querySelectorAll("textarea.etichetta")].find((x) => x.value === "Fondo prova e2e"); return [...t.closest("tr").querySelectorAll("input[data-ft]")].map((i) => i.value); });
    assert(/1\.000/.test(valori[0]) && /2\.500,5/.test(valori[1]) && valori[2] !== "", `valori incollati: ${valori.join(" | ")}`);
    // A suggestion accepted with Enter replaces the half-typed text.
    const box = await browser.$(nuovo);
    await box.click();
    await box.addValue("fon");
    const sugg = await browser.$('[data-testid="suggerimento"]');
    await sugg.waitForDisplayed({ timeout: 5000 });
    const scelto = (await sugg.getText()).trim();
    await shot("21a-fondi-suggerimenti");
    await browser.keys(["Enter"]);
    await browser.waitUntil(async () => (await box.getValue()) === "", { timeout: 5000, timeoutMsg: "il testo digitato resta nella casella" });
    const dopo = await browser.execute(() => [...document.querySelectorAll(".ft .etichetta-fissa, .ft textarea.etichetta")].map((t) => (t.value ?? t.textContent).trim()));
    assert(dopo.includes(scelto), `il fondo «${scelto}» non è stato aggiunto: ${dopo.slice(-4).join(" | ")}`);
    assert(!dopo.includes("fon"), "aggiunta una riga con il testo a metà");
    await waitSaved();
    await tab.scrollIntoView();
    await shot("21b-fondi-incollati");
  });

  await step("2025-2027: esempio di Lodi, capitoli del Piano, titoletto, elenco e tabella da Calc, scheda obiettivo, Verifica, PDF con l'indice", async () => {
    await clickT("torna-elenco");
    await clickT("elenco-apri-esempio");
    await (await $t("scegli-esempio")).waitForDisplayed({ timeout: 10000 });
    await shot("23a-scegli-esempio");
    await clickT("esempio-piano-di-zona-2025-2027-lodi");
    await (await $t("nav-piano")).waitForDisplayed({ timeout: 30000 });
    await (await $t("capitolo")).waitForDisplayed({ timeout: 15000 });
    await shot("23b-piano-premessa");
    const capitoloAperto = (id) => browser.waitUntil(async () => (await (await $t("capitolo")).getAttribute("data-capitolo")) === id,
      { timeout: 10000, timeoutMsg: `il capitolo «${id}» non si apre` });
    // A required chapter cannot be deleted: the button is not offered.
    assert(!(await (await $t("capitolo-elimina")).isExisting()), "«Elimina» offerto per la Premessa, richiesta dalla Regione");
    // A sub-chapter of the office under «Dati di contesto», numbered by the core.
    await click(await browser.$('[data-testid="indice-capitolo"][data-capitolo="contesto"]'));
    await capitoloAperto("contesto");
    await clickT("capitolo-aggiungi");
    await type('[data-testid="capitolo-nuovo"]', "Dati sul lavoro");
    await browser.keys(["Enter"]);
    await waitText('[data-testid="capitolo-titolo"]', /^2\.4 Dati sul lavoro$/);
    const sel = 'textarea[data-testid="testo-capitolo-0"]';
    const el = await browser.$(sel);
    await el.click();
    await browser.keys("# Il lavoro"); // no doubled letters: here the driver lost the second "c" of "Occupazione"
    await browser.keys(["Enter"]);
    await browser.keys(["Enter"]);
    await browser.keys("- primo punto");
    await browser.keys(["Enter"]);
    await browser.keys("secondo punto");
    await browser.waitUntil(async () => (await el.getValue()) === "# Il lavoro\n\n- primo punto\n- secondo punto",
      { timeout: 5000, timeoutMsg: `testo del capitolo: «${await el.getValue()}»` });
    // A block copied from Calc becomes a table of the chapter (header row first).
    await browser.execute((s) => { const t = document.querySelector(s); t.setSelectionRange(t.value.length, t.value.length); }, sel);
    await pasteTsv(sel, "Anno\tOccupati\r\n2023\t1.200\r\n2024\t1.250\r\n");
    await browser.waitUntil(async () => (await el.getValue()).includes("| Anno | Occupati |\n|---|---|\n| 2023 | 1.200 |"),
      { timeout: 5000, timeoutMsg: `tabella non incollata: «${await el.getValue()}»` });
    await waitSaved();
    await waitText('[data-testid="conta-capitolo"]', /^\s*1[0-9] parole/);
    await shot("23c-capitolo-titoletto-elenco-tabella");
    // Errors of the page, to name them if a screen does not appear.
    await browser.execute(() => {
      window.__errori = [];
      addEventListener("error", (e) => window.__errori.push(String(e.error?.stack ?? e.message)));
      addEventListener("unhandledrejection", (e) => window.__errori.push(String(e.reason?.stack ?? e.reason)));
    });
    const errori = async () => (await browser.execute(() => window.__errori ?? [])).join(" | ");
    // A document placed in a chapter opens its editor: the fund table of 2.3.
    await click(await browser.$('[data-testid="indice-capitolo"][data-capitolo="contesto_risorse"]'));
    await capitoloAperto("contesto_risorse");
    await click(await browser.$('[data-testid="capitolo-documento"]'));
    await (await browser.$('[data-testid^="tabella-fondi-"]')).waitForDisplayed({ timeout: 10000 }).catch(async (e) => { throw new Error(`${e.message}; errori: ${await errori()}`); });
    await clickT("nav-piano");
    // The chapter of the schede obiettivo: each placed scheda opens its editor.
    await click(await browser.$('[data-testid="indice-capitolo"][data-capitolo="obiettivi_tematici"]'));
    await capitoloAperto("obiettivi_tematici");
    await shot("23d-capitolo-schede-obiettivo");
    const schede = await browser.$$('[data-testid="capitolo-documento"]');
    assert(schede.length >= 8, `schede collocate nel capitolo: ${schede.length}`);
    await click(schede[0]);
    await (await browser.$("#doc-titolo")).waitForDisplayed({ timeout: 10000 }).catch(async (e) => { throw new Error(`${e.message}; errori: ${await errori()}`); });
    await shot("23e-scheda-obiettivo");
    await apriVerifica();
    await shot("23f-verifica-piano");
    await chiudiVerifica();
    // Back to the chapters: the sub-chapter and its text are still there.
    await clickT("nav-piano");
    await click(await browser.$('[data-testid="indice-capitolo"]*=Dati sul lavoro'));
    await browser.waitUntil(async () => (await (await browser.$(sel)).getValue()).startsWith("# Il lavoro"), { timeout: 10000, timeoutMsg: "il testo del capitolo è perso" });
    const pdfPiano = path.join(WORK, "piano-lodi.pdf");
    await browser.execute((p) => { window.__PDZ_TEST_PATHS__ = { pdf: p }; }, pdfPiano);
    await clickT("esporta-pdf");
    await clickT("esporta-pdf-avvia");
    await (await $t("esporta-fatto")).waitForDisplayed({ timeout: 120000 });
    await clickT("esporta-chiudi");
    const indice = execFileSync("pdftotext", ["-f", "1", "-l", "4", "-layout", pdfPiano, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    assert(/Indice/.test(indice), "il PDF non ha l'indice");
    assert(/2\.4 Dati sul lavoro/.test(indice), "l'indice non nomina il capitolo aggiunto");
    const tutto = execFileSync("pdftotext", [pdfPiano, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    assert(tutto.includes("Il lavoro") && tutto.includes("secondo punto") && tutto.includes("1.250"), "il testo del capitolo non è nel PDF");
  });
  await stop();

  await step("primo avvio con «Apri esempio»: il profilo dell'ufficio non viene scritto", async () => {
    await start(path.join(WORK, "nuovo.sqlite"));
    await clickT("apri-esempio");
    await clickT("esempio-oglio-po-2021-2023-quota-premiale");
    await (await $t("banner-esempio")).waitForDisplayed({ timeout: 30000 });
    assert(!(await browser.$(".ufficio").isExisting()), "la testata mostra l'Ambito dell'esempio");
    await shot("22a-esempio-primo-avvio");
    await clickT("torna-elenco");
    await (await $t("configura-ufficio")).waitForDisplayed({ timeout: 10000 });
    await stop();
  });

  await step("archivio danneggiato: messaggio chiaro, file intatto", async () => {
    const rotto = path.join(WORK, "rotto.sqlite");
    const dati = Buffer.from("questo non è un database SQLite ".repeat(200));
    fs.writeFileSync(rotto, dati);
    await start(rotto);
    const msg = await waitText('[data-testid="archivio-non-disponibile"]', /archivio|database/i, 30000);
    await shot("21-archivio-danneggiato");
    assert(/non/i.test(msg), msg);
    assert(Buffer.compare(fs.readFileSync(rotto), dati) === 0, "il file danneggiato è stato modificato");
    await stop();
  });

  await step("archivio danneggiato con copia di sicurezza: «Apri la copia di sicurezza» lo rimette in uso", async () => {
    const dir = path.join(WORK, "ripristino");
    fs.mkdirSync(dir, { recursive: true });
    const db = path.join(dir, "archivio.sqlite");
    fs.copyFileSync(DB, db);
    await start(db); // the first opening of the day copies the archive into copie-di-sicurezza/
    await (await $t("elenco-fascicoli")).waitForDisplayed({ timeout: 30000 });
    const prima = (await browser.$$('[data-testid="elenco-fascicoli"] li')).length;
    await browser.pause(1500);
    await stop();
    const b = fs.readFileSync(db);
    b.fill(0, 0, 4096); // the first page destroyed
    fs.writeFileSync(db, b);
    await start(db);
    await waitText('[data-testid="archivio-non-disponibile"]', /copia di sicurezza/i, 30000);
    await (await $t("ripristina-ultima-copia")).waitForDisplayed({ timeout: 10000 });
    await shot("21c-archivio-danneggiato-ripristino");
    await clickT("ripristina-ultima-copia");
    await (await $t("elenco-fascicoli")).waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="elenco-fascicoli"] li')).length === prima,
      { timeout: 10000, timeoutMsg: `dopo il ripristino l'elenco non ha ${prima} fascicoli` });
    await shot("21d-archivio-ripristinato");
    const copie = fs.readdirSync(path.join(dir, "copie-di-sicurezza"));
    assert(copie.some((n) => fs.readFileSync(path.join(dir, "copie-di-sicurezza", n)).subarray(0, 4096).every((x) => x === 0)),
      `il file danneggiato non è conservato tra le copie: ${copie.join(", ")}`);
    // «Ripristina da copia…»: the automatic backups with their fascicoli; another program's SQLite
    // file chosen instead is refused in Italian and nothing changes.
    await clickT("apri-ripristino");
    await (await $t("ripristino")).waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="ripristino-copie"] li')).length >= 1,
      { timeout: 10000, timeoutMsg: "nessuna copia automatica elencata" });
    const righe = await browser.execute(() => [...document.querySelectorAll('[data-testid="ripristino-copie"] li')].map((l) => l.textContent));
    assert(righe.some((t) => new RegExp(`\\b${prima} fascicol`).test(t)), `copie: ${righe.join(" | ")}`);
    const estraneo = path.join(WORK, "altro-programma.sqlite");
    execFileSync("python3", ["-c", `import sqlite3; c=sqlite3.connect(${JSON.stringify(estraneo)}); c.execute("create table clienti(nome)"); c.commit()`]);
    await browser.execute((p) => { window.__PDZ_TEST_PATHS__ = { ripristino: p }; }, estraneo);
    await clickT("ripristino-scegli");
    await clickT("ripristino-conferma");
    const rifiuto = await waitText('[data-testid="ripristino-errore"]', /\S/);
    assert(/non è un archivio/i.test(rifiuto) && !/\b(error|database|file is)\b/i.test(rifiuto), rifiuto);
    await shot("21e-ripristino-da-copia");
    await browser.keys(["Escape"]);
    assert((await browser.$$('[data-testid="elenco-fascicoli"] li')).length === prima, "il rifiuto ha cambiato l'archivio");
    await stop();
  });

  await step("archivio di una versione più recente: messaggio chiaro", async () => {
    // Ours (application_id 0x505A4431) but with a schema newer than this build knows.
    const nuovo = path.join(WORK, "futuro.sqlite");
    execFileSync("python3", ["-c", `import sqlite3; c=sqlite3.connect(${JSON.stringify(nuovo)}); c.execute("pragma application_id=1348092977"); c.execute("create table x(a)"); c.execute("pragma user_version=9999"); c.commit()`]);
    await start(nuovo);
    const msg = await waitText('[data-testid="archivio-non-disponibile"]', /archivio|versione/i, 30000);
    await shot("22-archivio-piu-recente");
    assert(/versione|recente/i.test(msg), msg);
    await stop();
    // Its data and schema version are untouched (SQLite may switch the journal mode on open).
    const dopo = execFileSync("python3", ["-c", `import sqlite3; c=sqlite3.connect(${JSON.stringify(nuovo)}); print(c.execute("pragma user_version").fetchone()[0], c.execute("select count(*) from sqlite_master where name='x'").fetchone()[0])`], { encoding: "utf8" }).trim();
    assert(dopo === "9999 1", `archivio più recente alterato: ${dopo}`);
    await stop();
  });
}

try {
  await main();
} catch (e) {
  if (failed === 0) { failed++; failures.push("avvio"); console.log(`  FAIL avvio: ${e?.stack ?? e}`); }
} finally {
  await stop();
}
console.log(`\ne2e: ${passed} passed, ${failed} failed`);
if (failed > 0 || passed === 0) { console.log(`falliti: ${failures.join("; ")}`); process.exit(1); }
