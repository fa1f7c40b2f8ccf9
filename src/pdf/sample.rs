//! Test fixtures for the export: a complete 2021-2023 fascicolo (letter + two schede, every section
//! filled, fictional Ambito) and a stress fascicolo (a 2,400-word section, 40 budget rows, 30 Gantt
//! rows over 24 months, 20 staff rows). Used by tests/pdf_export.rs and benches/pdf.rs.

use serde_json::{json, Value};

use crate::model::{Fascicolo, OfficeProfile};

pub fn profile() -> OfficeProfile {
    serde_json::from_value(json!({
        "ambito": "Alto Mincio",
        "ente_capofila": "Consorzio Servizi Sociali Alto Mincio",
        "legal_rep": {"name": "Giulia Ferrari", "title": "Dott.ssa", "gender": "F"},
        "ats": "ATS della Val Padana",
        "asst": ["ASST di Mantova", "ASST di Cremona"],
        "letterhead": {
            "lines": [
                "Consorzio Servizi Sociali “Alto Mincio” – Via Roma, 12 – 46040 Volta Mantovana (MN)",
                "Tel. 0376 000000 – E-mail: ufficiodipiano@example.it – PEC: ufficiodipiano@pec.example.it"
            ],
            "position": "footer",
            "pages": "every_page"
        },
        "formed_after_dgr_7631": true
    }))
    .expect("valid profile")
}

const OBIETTIVO: &str = "L’obiettivo del progetto è costruire un’agenzia territoriale che accompagni le persone con disabilità e le loro famiglie nei percorsi di vita indipendente, coordinando i servizi già presenti nell’Ambito.\n\nIl progetto intende:\n- mettere in rete i servizi diurni e residenziali;\n- offrire un punto unico di accesso e orientamento;\n- sperimentare progetti personalizzati di abitare autonomo.\n\nLe attività saranno monitorate da una cabina di regia con ATS, ASST e Terzo Settore, che verificherà ogni sei mesi lo stato di avanzamento.";

const CONTESTO: &str = "Nel territorio dell’Ambito risiedono circa 48.000 abitanti distribuiti in 12 Comuni, con una quota di popolazione anziana superiore alla media regionale.\n\nLa tabella seguente riassume la spesa sociale per l’area disabilità negli ultimi anni.\n\n| Anno | Spesa area disabilità | Utenti in carico |\n|---|---|---|\n| 2019 | € 1.015.679,50 | 312 |\n| 2020 | € 1.102.340,00 | 335 |\n| 2021 | € 1.187.900,00 | 351 |\n\nLa crescita degli utenti in carico, insieme all’invecchiamento dei caregiver, rende urgente una risposta strutturata: molte famiglie non sanno a chi rivolgersi quando il genitore non riesce più a garantire l’assistenza quotidiana.";

fn lorem(words: usize, seed: usize) -> String {
    const W: [&str; 24] = [
        "attività",
        "territorio",
        "famiglie",
        "servizi",
        "rete",
        "persone",
        "progetto",
        "inclusione",
        "comunità",
        "percorso",
        "autonomia",
        "operatori",
        "sostegno",
        "coprogettazione",
        "Comuni",
        "abitare",
        "fragilità",
        "accompagnamento",
        "valutazione",
        "risorse",
        "partecipazione",
        "domiciliarità",
        "educatori",
        "volontariato",
    ];
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(if i % 23 == 0 { '\n' } else { ' ' });
            if i % 23 == 0 {
                out.push('\n');
            }
        }
        out.push_str(W[(i * 7 + seed * 3 + i / 5) % W.len()]);
        if i % 11 == 10 {
            out.push(',');
        }
    }
    out.push('.');
    out
}

fn scheda(n: u32, all_n: u32, title: &str, macroarea: &str, points: Value, activities: Value, extra: Value) -> Value {
    let mut fields = json!({
        "titolo": {"kind": "text", "text": title},
        "macroarea": {"kind": "choice", "selected": [macroarea]},
        "punti_chiave": {"kind": "choice", "selected": points},
        "obiettivo": {"kind": "text", "text": OBIETTIVO},
        "ats": {"kind": "entities", "items": [{"name": "ATS della Val Padana"}]},
        "ambiti": {"kind": "entities", "items": [{"name": "Ambito territoriale di Alto Mincio"}]},
        "asst": {"kind": "entities", "items": [{"name": "ASST di Mantova"}, {"name": "ASST di Cremona"}]},
        "altri_enti": {"kind": "entities", "items": [
            {"name": "Cooperativa sociale Il Ponte", "entity_type": "Terzo Settore", "role": "partner di coprogettazione"},
            {"name": "Fondazione Comunità Mantovana", "role": "cofinanziatore"}
        ], "note": "Altri enti del Terzo Settore potranno aderire durante la fase di coprogettazione."},
        "integrazione": {"kind": "text", "text": "L’integrazione tra gli attori è garantita da una cabina di regia territoriale che si riunisce ogni due mesi.\n\n1. La cabina di regia approva il piano operativo.\n2. Il gruppo tecnico verifica gli indicatori.\n3. Il tavolo di rete condivide i risultati con le famiglie."},
        "contesto": {"kind": "text", "text": CONTESTO},
        "innovazione": {"kind": "text", "text": "L’aspetto innovativo sta nel passaggio da servizi separati a un’unica regia territoriale, con budget di progetto condivisi tra Comuni, ATS e ASST."},
        "attivita": {"kind": "text", "text": "Il progetto si articola in tre fasi.\n\nFase di promozione e sensibilizzazione: incontri pubblici nei Comuni e con le associazioni dei familiari.\n\nFase di coprogettazione: tavoli con gli enti del Terzo Settore per definire i servizi dell’agenzia.\n\nFase di sperimentazione: avvio dei primi progetti personalizzati di vita indipendente."},
        "integrazione_macroaree": {"kind": "secondary_areas", "items": [
            {"area": "E", "key_points": ["E5"], "explanation": "Il sostegno ai caregiver anziani collega il progetto alla macroarea Anziani."},
            {"area": "B", "key_points": ["B3"], "explanation": "Le soluzioni di abitare autonomo riguardano anche le politiche abitative."}
        ]},
        "deliverable": {"kind": "deliverables", "text": "I risultati attesi sono descritti per fase nella tabella seguente.", "rows": [
            {"activity": "a1", "results": ["Calendario degli incontri pubblici", "Materiale informativo"], "indicators": ["Numero di incontri realizzati (almeno 12)", "Numero di partecipanti"]},
            {"activity": "a2", "results": ["Accordo di coprogettazione sottoscritto"], "indicators": ["Enti aderenti all’accordo"]},
            {"activity": "a3", "results": ["Progetti personalizzati avviati"], "indicators": ["Numero di progetti avviati (almeno 10)", "Grado di soddisfazione delle famiglie"]}
        ]},
        "cronoprogramma": {"kind": "gantt", "mode": "mensile", "start": "2022-01"},
        "risorse": {"kind": "empty"},
        "risorse_economiche": {"kind": "money_table", "extra_columns": [{"id": "x1", "source": "premialità"}], "rows": [
            {"activity": "a1", "cost": "2150.00", "amounts": {"proprie": "150.00", "comuni": "2000.00"}},
            {"activity": "a2", "cost": "4150.00", "amounts": {"proprie": "4000.00", "ats": "150.00"}},
            {"activity": "a3", "cost": "118200.00", "amounts": {"proprie": "10000.00", "comuni": "10000.00", "ats": "200.00", "x1": "98000.00"}, "notes": {"x1": "PREMIALITÀ E FNA"}}
        ]},
        "risorse_umane": {"kind": "staff_table", "extra_columns": [{"id": "y1", "ente": "Cooperativa Il Ponte"}], "rows": [
            {"role": "Assistente sociale", "cells": {"proprie": {"persone": 2}, "comuni": {"persone": 1}}},
            {"role": "Educatore professionale", "cells": {"proprie": {"persone": 1}, "y1": {"testo": "Partner di coprogettazione in seguito a stipula di convenzione"}}},
            {"role": "Psicologo", "cells": {"asst": {"ore": {"hours": 40, "period": "mensili"}}}},
            {"role": "Amministrativo", "cells": {"proprie": {"euro": "1000.00"}}}
        ]},
        "beneficiari": {"kind": "text", "text": "Beneficiari diretti sono le persone con disabilità tra i 18 e i 64 anni e le loro famiglie; beneficiari indiretti sono gli operatori dei servizi e le comunità locali."},
        "criticita": {"kind": "text", "text": "| Rischio | Soluzione |\n|---|---|\n| Scarsa adesione delle famiglie | Incontri a domicilio e colloqui individuali |\n| Turn over degli operatori | Formazione congiunta e documentazione condivisa |"},
        "sostenibilita": {"kind": "text", "text": "Al termine del progetto l’agenzia sarà inserita stabilmente nel Piano di Zona e finanziata con il fondo sociale dell’Ambito."}
    });
    if let (Some(f), Some(e)) = (fields.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            f.insert(k.clone(), v.clone());
        }
    }
    json!({"id": format!("scheda-{n}"), "form": "scheda_1b", "number": n, "all_n": all_n, "activities": activities, "fields": fields})
}

fn activities_p1() -> Value {
    json!([
        {"id": "a1", "label": "PROMOZIONE / SENSIBILIZZAZIONE", "periods": [{"from": "2022-01", "to": "2022-06"}], "budget_label": "Gestione attività di promozione e sensibilizzazione"},
        {"id": "a2", "label": "CO-PROGETTAZIONE", "periods": [{"from": "2022-04", "to": "2022-12"}], "milestones": [{"label": "Accordo", "month": "2022-12"}]},
        {"id": "a3", "label": "FASE DI SPERIMENTAZIONE", "periods": [{"from": "2023-01", "to": "2023-12"}], "budget_label": "Sperimentazione"}
    ])
}

/// A complete fascicolo of the 2021-2023 family (variant "ambito").
pub fn fascicolo() -> Fascicolo {
    let letter = json!({
        "id": "lettera", "form": "lettera_1a",
        "fields": {"luogo": {"kind": "text", "text": "Volta Mantovana"}, "data": {"kind": "date", "date": "2022-02-18"}}
    });
    let s1 = scheda(
        1,
        11,
        "AGENZIA PER LA VITA INDIPENDENTE E L’INCLUSIONE DELLE PERSONE CON DISABILITÀ",
        "J",
        json!(["J1", "J2"]),
        activities_p1(),
        json!({}),
    );
    let acts2 = json!([
        {"id": "a1", "label": "mappatura dei bisogni abitativi", "periods": [{"from": "2022-04", "to": "2022-09"}]},
        {"id": "g1", "label": "Governance", "kind": "group"},
        {"id": "a2", "label": "gruppo tecnico di coordinamento", "parent": "g1", "periods": [{"from": "2022-04", "to": "2023-12"}]},
        {"id": "a3", "label": "tavolo di confronto permanente", "parent": "g1", "periods": [{"from": "2022-06", "to": "2022-12"}, {"from": "2023-04", "to": "2023-10"}]},
        {"id": "a4", "label": "sperimentazione dell’agenzia per l’abitare", "periods": [{"from": "2023-01", "to": "2023-12"}]}
    ]);
    let s2 = scheda(
        2,
        12,
        "CREAZIONE DELL’AGENZIA PER LA COMUNITA’ DELL’ABITARE",
        "B",
        json!(["B4", "B5"]),
        acts2,
        json!({
            "cronoprogramma": {"kind": "gantt", "mode": "mesi_relativi", "start": "2022-04"},
            "deliverable": {"kind": "deliverables", "rows": [
                {"activity": "a1", "results": ["Mappa dei bisogni"], "indicators": ["Questionari raccolti"]},
                {"phase": "definizione del modello di Agenzia da sperimentare", "results": ["Modello approvato"], "indicators": ["Delibera dell’Assemblea dei Sindaci"]}
            ]},
            "risorse_economiche": {"kind": "money_table", "show_control_column": true, "extra_columns": [{"id": "x1", "source": "premialità"}], "rows": [
                {"activity": "a1", "cost": "7020.00", "amounts": {"proprie": "2000.00", "comuni": "5020.00"}},
                {"activity": "g1", "cost": "4655.00", "amounts": {"proprie": "2530.00", "comuni": "375.00", "ats": "200.00", "x1": "1750.00"}},
                {"activity": "a4", "cost": "16000.00", "amounts": {"x1": "16000.00"}}
            ]}
        }),
    );
    serde_json::from_value(json!({
        "title": "Quota premiale 2021-2023 – Ambito Alto Mincio",
        "family": "qp2021",
        "variant": "ambito",
        "date": "2022-02-18",
        "signer": {"name": "Giulia Ferrari", "title": "Dott.ssa", "gender": "F"},
        "documents": [letter, s1, s2]
    }))
    .expect("valid fascicolo")
}

/// The stress fascicolo: one scheda with a 2,400-word section, 40 budget rows, 30 Gantt rows over
/// 24 months and 20 staff rows (long labels, many source columns).
pub fn stress() -> Fascicolo {
    let mut f = fascicolo();
    let mut acts = Vec::new();
    let mut budget = Vec::new();
    for i in 0..40 {
        let id = format!("s{i}");
        let from = 2022 * 12 + (i as i32 % 18);
        let ym = |m: i32| format!("{}-{:02}", m / 12, m % 12 + 1);
        let mut a = json!({"id": id, "label": format!("Attività {} – {}", i + 1, lorem(6 + i % 9, i))});
        if i < 30 {
            a["periods"] = json!([{"from": ym(from), "to": ym((from + 3 + (i as i32 % 5)).min(2023 * 12 + 11))}]);
        }
        acts.push(a);
        let cost = 1000 + i * 137;
        budget.push(json!({"activity": id, "cost": format!("{cost}.00"), "amounts": {"proprie": format!("{}.00", cost / 2), "comuni": format!("{}.00", cost - cost / 2 - 10), "x1": "5.00", "x2": "5.00"}, "notes": if i % 7 == 0 { json!({"x1": "quota FNA"}) } else { json!({}) }}));
    }
    // 30 rows in the Gantt: the first 30 activities carry periods; the others are budget-only.
    let staff: Vec<Value> = (0..20)
        .map(|i| {
            json!({"role": format!("Figura professionale {} {}", i + 1, lorem(2 + i % 4, i)), "cells": {
                "proprie": {"persone": i % 4 + 1},
                "ats": {"ore": {"hours": 10 + i, "period": "mensili"}},
                "asst": {"euro": format!("{}.00", 1500 + i * 10)},
                "y1": {"testo": lorem(8 + i % 6, i)}
            }})
        })
        .collect();
    let big = lorem(2400, 1);
    let extra = json!({
        "attivita": {"kind": "text", "text": big},
        "cronoprogramma": {"kind": "gantt", "mode": "mensile", "start": "2022-01", "month_initials": true},
        "risorse_economiche": {"kind": "money_table", "show_control_column": true, "extra_columns": [{"id": "x1", "source": "Fondo Nazionale Politiche Sociali"}, {"id": "x2", "source": "Fondazioni e Enti del Terzo Settore"}], "rows": budget},
        "risorse_umane": {"kind": "staff_table", "extra_columns": [{"id": "y1", "ente": "Cooperativa sociale Il Ponte"}], "rows": staff}
    });
    let s = scheda(3, 13, "SCHEDA DI PROVA CON TABELLE LUNGHE", "C", json!(["C1"]), Value::Array(acts), extra);
    f.documents.push(serde_json::from_value(s).expect("valid scheda"));
    f.title = "Fascicolo di prova (stress)".into();
    f
}
