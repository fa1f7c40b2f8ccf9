// The core omits empty optional fields when it serialises (serde skip_serializing_if). The editors
// mutate values in place, so after loading we give every optional container its empty value.
import type { Fascicolo } from "./api";

export function normalizza(f: Fascicolo): Fascicolo {
  f.variant ??= "";
  f.options ??= {};
  f.signer.title ??= "";
  for (const d of f.documents) {
    d.activities ??= [];
    d.options ??= {};
    for (const a of d.activities) {
      a.kind ??= "activity";
      a.parent ??= null;
      a.periods ??= [];
      a.milestones ??= [];
      a.budget_label ??= null;
      a.in_budget ??= true;
    }
    for (const v of Object.values(d.fields)) {
      if (!v) continue;
      switch (v.kind) {
        case "choice": v.text ??= ""; break;
        case "enumeration": v.note ??= ""; break;
        case "yes_no": v.text ??= ""; v.refs ??= []; break;
        case "entities":
          v.note ??= ""; v.deroga ??= ""; v.items ??= [];
          for (const e of v.items) { e.entity_type ??= ""; e.role ??= ""; }
          break;
        case "secondary_areas":
          v.text ??= ""; v.items ??= [];
          for (const a of v.items) { a.key_points ??= []; a.explanation ??= ""; }
          break;
        case "gantt": v.first_column_header ??= ""; v.month_initials ??= false; v.marker_x ??= false; break;
        case "deliverables":
          v.text ??= ""; v.rows ??= [];
          for (const r of v.rows) { r.activity ??= ""; r.phase ??= ""; }
          break;
        case "money_table":
          v.extra_columns ??= []; v.rows ??= []; v.typed_totals ??= {}; v.show_control_column ??= false;
          for (const r of v.rows) { r.amounts ??= {}; r.notes ??= {}; r.typed_control ??= null; }
          break;
        case "resource_lines":
          v.none_needed ??= false; v.lines ??= [];
          for (const l of v.lines) {
            l.qualifier ??= ""; l.basis ??= ""; l.sources ??= []; l.label ??= ""; l.di_cui ??= []; l.envelope ??= "";
            for (const d of l.di_cui) { d.amount ??= null; d.percent ??= ""; }
          }
          break;
        case "fund_table": v.rows ??= []; v.typed_totals ??= {}; for (const r of v.rows) { r.label ??= ""; r.cells ??= {}; } break;
        case "evaluation_grid": v.inputs ??= {}; v.typed ??= {}; v.note ??= ""; break;
        case "staff_table":
          v.extra_columns ??= []; v.rows ??= [];
          for (const c of v.extra_columns) c.linked_column ??= null;
          break;
      }
    }
  }
  return f;
}
