//! Settings of the app on this computer, not of the archive (an archive copied to another
//! computer does not carry them): the zoom of the window. A JSON file beside the archive.

use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Zoom levels of Ctrl+plus / Ctrl+minus, as the browsers step them.
pub const ZOOM_LEVELS: [f64; 11] = [0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default = "one")]
    pub zoom: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for Settings {
    fn default() -> Self {
        Settings { zoom: 1.0 }
    }
}

/// `impostazioni.json` beside the archive `db`.
pub fn settings_path(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("impostazioni.json")
}

/// The settings saved beside `db`; defaults when there are none or the file is unreadable
/// (settings are never worth an error at start).
pub fn load_settings(db: &Path) -> Settings {
    let s: Settings =
        std::fs::read(settings_path(db)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
    Settings { zoom: clamp_zoom(s.zoom) }
}

pub fn save_settings(db: &Path, s: &Settings) -> Result<()> {
    let json =
        serde_json::to_vec_pretty(s).map_err(|_| crate::error::Error::Other("impostazioni non registrabili".into()))?;
    super::write_user_file(&settings_path(db), &json)
}

fn clamp_zoom(z: f64) -> f64 {
    if z.is_finite() {
        z.clamp(ZOOM_LEVELS[0], ZOOM_LEVELS[ZOOM_LEVELS.len() - 1])
    } else {
        1.0
    }
}

/// The next zoom level from `current`: `step` > 0 larger, < 0 smaller, 0 back to 100%.
pub fn zoom_step(current: f64, step: i32) -> f64 {
    let current = clamp_zoom(current);
    match step.signum() {
        0 => 1.0,
        1 => ZOOM_LEVELS.iter().copied().find(|z| *z > current + 1e-6).unwrap_or(current),
        _ => ZOOM_LEVELS.iter().rev().copied().find(|z| *z < current - 1e-6).unwrap_or(current),
    }
}

/// Applies a zoom step to the settings beside `db`, saves them and returns the new level.
pub fn change_zoom(db: &Path, step: i32) -> Result<f64> {
    let mut s = load_settings(db);
    s.zoom = zoom_step(s.zoom, step);
    save_settings(db, &s)?;
    Ok(s.zoom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_is_remembered_beside_the_archive_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("archivio.sqlite");
        assert_eq!(load_settings(&db).zoom, 1.0);
        assert_eq!(change_zoom(&db, 1).unwrap(), 1.1);
        assert_eq!(change_zoom(&db, 1).unwrap(), 1.25);
        assert_eq!(load_settings(&db).zoom, 1.25, "read again as at the next start");
        for _ in 0..20 {
            change_zoom(&db, -1).unwrap();
        }
        assert_eq!(load_settings(&db).zoom, 0.5);
        assert_eq!(change_zoom(&db, 0).unwrap(), 1.0);
        // A damaged or hand-edited file: defaults, bounded.
        std::fs::write(settings_path(&db), b"{\"zoom\": 40}").unwrap();
        assert_eq!(load_settings(&db).zoom, 2.0);
        std::fs::write(settings_path(&db), b"\xff garbage").unwrap();
        assert_eq!(load_settings(&db).zoom, 1.0);
        assert_eq!(zoom_step(1.05, 1), 1.1);
        assert_eq!(zoom_step(f64::NAN, -1), 0.9);
    }
}
