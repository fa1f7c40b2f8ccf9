//! Checks specific to the Piano di Zona forms (2025-2027 scheda obiettivo, evaluation grid, fund
//! tables, older cards). Templates name them like any other check.

use super::{Ctx, Sink};
use crate::template::RuleDef;

pub const KNOWN_CHECKS: &[&str] = &[];

pub(super) fn run(_ctx: &Ctx, _rule: &RuleDef, _sink: &mut Sink) {}
