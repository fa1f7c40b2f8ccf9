//! The one error type of the signing layer. `Display` gives the Italian message shown to users;
//! no message ever contains a password or a PIN.

use std::path::PathBuf;

/// Everything that can go wrong while loading a key, signing or reading a signed file.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("Impossibile leggere o scrivere il file «{}»: {}.", path.display(), crate::error::io_text(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("Password del file di firma (PKCS#12) errata.")]
    WrongPassword,

    // The parser's detail (.1) is English ASN.1 jargon: kept for logs (Debug), not shown.
    #[error("Il file «{0}» non è un certificato di firma PKCS#12 (.p12/.pfx) leggibile (vuoto, danneggiato o di altro tipo).")]
    InvalidP12(String, String),

    #[error("PIN errato.{}", if *.final_try { " Attenzione: resta un solo tentativo prima del blocco del dispositivo." } else { "" })]
    WrongPin { final_try: bool },

    #[error("Il PIN del dispositivo di firma è bloccato (troppi tentativi errati): sbloccalo con il PUK o rivolgiti a chi ha emesso la carta.")]
    PinLocked,

    #[error("Impossibile caricare la libreria del dispositivo di firma (PKCS#11) «{}»: {detail}", module.display())]
    Pkcs11Module { module: PathBuf, detail: String },

    #[error("Nessuna smart card o token di firma trovato: controlla che il dispositivo sia inserito e che la libreria «{}» sia quella giusta.", module.display())]
    NoToken { module: PathBuf },

    #[error("Lo slot {0} non esiste o non contiene un dispositivo di firma.")]
    SlotNotFound(u64),

    #[error("Errore del dispositivo di firma: {0}")]
    Token(String),

    #[error("Nessun certificato di firma trovato {0}.")]
    NoCertificate(String),

    #[error("Sul dispositivo ci sono più certificati di firma ({}): scegli quale usare indicando slot e certificato.", .0.join("; "))]
    AmbiguousCertificate(Vec<String>),

    #[error("Il certificato «{0}» non ha una chiave privata corrispondente: non può essere usato per firmare.")]
    NoPrivateKey(String),

    #[error("Il certificato di firma è scaduto il {0}: non è possibile firmare con un certificato scaduto.")]
    CertificateExpired(String),

    #[error("Il certificato di firma non è ancora valido (lo sarà dal {0}).")]
    CertificateNotYetValid(String),

    #[error("Il certificato scelto non è abilitato alla firma (solo cifratura, keyEncipherment): scegli il certificato di firma digitale del dispositivo.")]
    NotForSigning,

    #[error("{0}")]
    NoTerminal(String),

    #[error("Manca {0}: non si accede al dispositivo con un valore vuoto.")]
    MissingSecret(&'static str),

    #[error("Tipo di chiave non supportato: {0}. Sono supportate le chiavi RSA ed ECDSA (P-256, P-384).")]
    UnsupportedKey(String),

    #[error("Il PDF è cifrato o protetto da password: non può essere firmato. Esporta di nuovo il documento senza protezione.")]
    EncryptedPdf,

    #[error("Il PDF è certificato dall'autore contro ogni modifica (DocMDP, P=1): non è possibile aggiungere altre firme senza invalidare la certificazione.")]
    CertifiedPdf,

    #[error("Il file non è un PDF valido o è danneggiato: {0}")]
    InvalidPdf(String),

    #[error("Il file non è una firma CAdES/PKCS#7 leggibile: {0}")]
    InvalidSignature(String),

    #[error("Formato di file non riconosciuto: non è né un PDF né un file firmato .p7m.")]
    UnknownFormat,

    #[error(
        "Marca temporale non ottenuta dal servizio «{url}»: {detail}. Riprova, oppure firma senza marca temporale."
    )]
    Timestamp { url: String, detail: String },

    /// A command used without what it needs (exit code 2 in the CLI).
    #[error("{0}")]
    Usage(String),

    #[error("Elenco di fiducia non importato: {0}.")]
    TrustedList(String),

    #[error("Errore interno nella creazione della firma: {0}")]
    Internal(String),
}

impl SignError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SignError::Io { path: path.into(), source }
    }

    /// True for the errors that mean "ask the user for the secret again".
    pub fn is_wrong_secret(&self) -> bool {
        matches!(self, SignError::WrongPassword | SignError::WrongPin { .. })
    }
}

impl From<der::Error> for SignError {
    fn from(e: der::Error) -> Self {
        SignError::Internal(format!("codifica DER: {e}"))
    }
}
