//! Piano di Zona Desktop core: form templates as data, the fascicolo model, the Verifica rules,
//! SQLite storage, JSON exchange, PDF/A export, digital signatures and, with the feature "cli",
//! the command line. No Tauri here.

#[cfg(feature = "cli")]
pub mod cli;
pub mod durable;
pub mod error;
pub mod exchange;
pub mod model;
pub mod money;
pub mod month;
pub mod pdf;
pub mod rules;
pub mod service;
pub mod sign;
pub mod store;
pub mod template;
pub mod words;
