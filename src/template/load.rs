//! Loading and checking template files. Errors name the file and the field.

use super::*;
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// All known template families.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub families: Vec<Family>,
}

impl Registry {
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }
    /// Adds a family; a family with the same id replaces the earlier one.
    pub fn add(&mut self, fam: Family) {
        self.families.retain(|f| f.id != fam.id);
        self.families.push(fam);
    }
    /// Embedded templates plus, if given, the families of an extra directory.
    pub fn load(extra_dir: Option<&Path>) -> Result<Registry> {
        let mut reg = load_embedded()?;
        if let Some(dir) = extra_dir {
            for fam in load_dir(dir)?.families {
                reg.add(fam);
            }
        }
        Ok(reg)
    }
}

/// The templates shipped inside the program (assets/templates at build time).
pub fn load_embedded() -> Result<Registry> {
    let mut reg = Registry::default();
    for (name, text) in EMBEDDED_TEMPLATES {
        reg.add(parse_family(name, text)?);
    }
    Ok(reg)
}

/// Every `*.toml` of a directory.
pub fn load_dir(dir: &Path) -> Result<Registry> {
    let mut reg = Registry::default();
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
        reg.add(parse_family(&p.display().to_string(), &text)?);
    }
    Ok(reg)
}

/// Parses and checks one template file.
pub fn parse_family(file: &str, text: &str) -> Result<Family> {
    let de = toml::Deserializer::new(text);
    let fam: Family = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.message().to_string();
        let pos = inner
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(" (riga {line})")
            })
            .unwrap_or_default();
        Error::Template { file: file.to_string(), message: format!("campo «{path}»{pos}: {msg}") }
    })?;
    check_family(&fam).map_err(|message| Error::Template { file: file.to_string(), message })?;
    for r in &fam.rules {
        crate::rules::params::check_rule(&fam, r).map_err(|e| {
            let key = if e.key.is_empty() { String::new() } else { format!(".{}", e.key) };
            let line = param_line(text, &r.id, e.key.split('.').next().unwrap_or_default());
            Error::Template {
                file: file.to_string(),
                message: format!("campo «rules.{}.params{key}» (riga {line}): {}", r.id, e.message),
            }
        })?;
    }
    Ok(fam)
}

/// Line of a rule parameter: the line of `key = …` inside the rule's block, else of its
/// `params`, else of its `id`.
fn param_line(text: &str, rule_id: &str, key: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let is_id = |l: &str| {
        let l = l.trim();
        l.strip_prefix("id").map(str::trim_start).and_then(|r| r.strip_prefix('=')).is_some_and(|r| {
            let v = r.trim();
            v == format!("\"{rule_id}\"") || v == format!("'{rule_id}'")
        })
    };
    let mut start = None;
    let mut in_rules = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            in_rules = t.starts_with("[[rules]]") || t.starts_with("[rules.");
        }
        if in_rules && is_id(l) {
            start = Some(i);
            break;
        }
    }
    let Some(start) = start else { return 1 };
    let starts_with_key = |l: &str, k: &str| {
        !k.is_empty() && l.trim_start().strip_prefix(k).is_some_and(|r| r.trim_start().starts_with('='))
    };
    let block = lines.iter().enumerate().skip(start).take_while(|(i, l)| *i == start || !l.trim().starts_with("[["));
    let mut params = None;
    for (i, l) in block {
        let t = l.trim();
        if starts_with_key(l, key) || (t.starts_with("params") && t.contains(&format!("{key} ")) && !key.is_empty()) {
            return i + 1;
        }
        if params.is_none() && (t == "[rules.params]" || starts_with_key(l, "params")) {
            params = Some(i + 1);
        }
    }
    params.unwrap_or(start + 1)
}

/// Semantic checks the TOML schema cannot express.
fn check_family(f: &Family) -> std::result::Result<(), String> {
    if let Some(plan) = &f.plan {
        let forms: Vec<&str> = f.forms.iter().map(|x| x.id.as_str()).collect();
        plan.check(&forms)?;
    }
    let mut voc_ids = HashSet::new();
    for v in &f.vocabularies {
        if !voc_ids.insert(v.id.as_str()) {
            return Err(format!("vocabolario «{}» definito due volte", v.id));
        }
        let mut ids = HashSet::new();
        for it in &v.items {
            if !ids.insert(it.id.as_str()) {
                return Err(format!("vocabularies.{}.items: id «{}» ripetuto", v.id, it.id));
            }
        }
    }
    for v in &f.vocabularies {
        if let Some(g) = &v.grouped_by {
            let groups = f
                .vocabulary(g)
                .ok_or_else(|| format!("vocabularies.{}.grouped_by: vocabolario «{g}» inesistente", v.id))?;
            for it in &v.items {
                match &it.group {
                    Some(gid) if groups.item(gid).is_some() => {}
                    other => {
                        return Err(format!(
                            "vocabularies.{}.items.{}.group: gruppo «{}» inesistente in «{g}»",
                            v.id,
                            it.id,
                            other.as_deref().unwrap_or("")
                        ))
                    }
                }
            }
        }
    }
    let variant_ids: HashSet<&str> = f.variants.iter().map(|v| v.id.as_str()).collect();
    let mut form_ids = HashSet::new();
    for form in &f.forms {
        if !form_ids.insert(form.id.as_str()) {
            return Err(format!("modulo «{}» definito due volte", form.id));
        }
        for v in &form.variants {
            if !variant_ids.contains(v.as_str()) {
                return Err(format!("forms.{}.variants: variante «{v}» inesistente", form.id));
            }
        }
        if !["blocks", "two_column"].contains(&form.layout.as_str()) {
            return Err(format!("forms.{}.layout: «{}» non ammesso (blocks, two_column)", form.id, form.layout));
        }
        let mut sec_ids = HashSet::new();
        for s in &form.sections {
            let at = format!("forms.{}.sections.{}", form.id, s.id);
            if !sec_ids.insert(s.id.as_str()) {
                return Err(format!("{at}: id ripetuto"));
            }
            if s.word_limit.is_some() && s.kind != FieldKind::RichText && s.kind != FieldKind::Deliverables {
                return Err(format!("{at}.word_limit: ammesso solo per testo (rich_text) e deliverable"));
            }
            if let Some(v) = &s.vocabulary {
                if f.vocabulary(v).is_none() {
                    return Err(format!("{at}.vocabulary: vocabolario «{v}» inesistente"));
                }
            }
            let needs_voc =
                matches!(s.kind, FieldKind::Checklist | FieldKind::KeypointTable | FieldKind::SecondaryAreas);
            if needs_voc && s.vocabulary.is_none() {
                return Err(format!("{at}.vocabulary: obbligatorio per il tipo {:?}", s.kind));
            }
            if s.kind == FieldKind::Enumeration && s.choices.is_empty() {
                return Err(format!("{at}.choices: un elenco di valori è obbligatorio per il tipo enumeration"));
            }
            if matches!(s.kind, FieldKind::Gantt | FieldKind::MoneyTable | FieldKind::Deliverables) && !form.activities
            {
                return Err(format!("{at}: il tipo {:?} richiede activities = true nel modulo", s.kind));
            }
        }
        for b in &form.body {
            if let Some(v) = &b.vocabulary {
                if f.vocabulary(v).is_none() {
                    return Err(format!("forms.{}.body: vocabolario «{v}» inesistente", form.id));
                }
            }
            if let Some(o) = &b.when_option {
                if f.option_def(o).is_none() {
                    return Err(format!("forms.{}.body.when_option: opzione «{o}» inesistente", form.id));
                }
            }
        }
    }
    let mut rule_ids = HashSet::new();
    for r in &f.rules {
        let at = format!("rules.{}", r.id);
        if !rule_ids.insert(r.id.as_str()) {
            return Err(format!("{at}: id ripetuto"));
        }
        if !crate::rules::is_known(&r.check) {
            return Err(format!("{at}.check: controllo «{}» sconosciuto", r.check));
        }
        crate::rules::validate_params(r).map_err(|e| format!("{at}.params: {e}"))?;
        if let Some(fid) = &r.form {
            let form = f.form(fid).ok_or_else(|| format!("{at}.form: modulo «{fid}» inesistente"))?;
            for s in &r.sections {
                if form.section(s).is_none() {
                    return Err(format!("{at}.sections: sezione «{s}» inesistente nel modulo «{fid}»"));
                }
            }
        }
        for v in &r.variants {
            if !variant_ids.contains(v.as_str()) {
                return Err(format!("{at}.variants: variante «{v}» inesistente"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_templates_load() {
        let reg = load_embedded().expect("embedded templates");
        assert!(reg.family("qp2021").is_some());
    }

    #[test]
    fn malformed_template_names_file_and_field() {
        let bad = "id = \"x\"\ntitle = \"X\"\ncycle = \"2021\"\n[[forms]]\nid = \"f\"\ntitle = \"F\"\nrole = \"scheda\"\n[[forms.sections]]\nid = \"s\"\nheading = \"S\"\nkind = \"rich_txt\"\n";
        let err = parse_family("prova.toml", bad).unwrap_err().to_string();
        assert!(err.contains("prova.toml"), "{err}");
        assert!(err.contains("forms[0].sections[0].kind"), "{err}");
        assert!(err.contains("riga 11"), "{err}");
    }

    #[test]
    fn semantic_errors_name_the_field() {
        let bad = "id = \"x\"\ntitle = \"X\"\ncycle = \"2021\"\n[[forms]]\nid = \"f\"\ntitle = \"F\"\nrole = \"scheda\"\n[[forms.sections]]\nid = \"s\"\nheading = \"S\"\nkind = \"checklist\"\nvocabulary = \"nope\"\n";
        let err = parse_family("prova.toml", bad).unwrap_err().to_string();
        assert!(err.contains("forms.f.sections.s.vocabulary"), "{err}");
    }
}
