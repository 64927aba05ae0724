//! The signature lab: paste a raw request and get a verdict. It tries every combination the
//! platform could have used (SHA-256 and SHA-1, each with the Encrypt Key and with the
//! Verification Token) so that, when a check fails, it can say which secret is probably in the
//! wrong field: the most common setup mistake (pain point 1) looks exactly like "signature
//! verification failed" otherwise.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lark_platform::crypto;
use lark_platform::envelope::{self, Envelope, SignatureHeaders, SignatureScheme};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use strum::{EnumIter, IntoStaticStr};
use ts_rs::TS;

use super::config::RelayKeys;
use super::model::RequestKind;
use super::scrub;

/// A pasted request: header lines (`Name: value`) and the body. When `body` is empty and
/// `headers` holds a whole raw request, the part after the first blank line is the body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct LabInput {
    pub headers: String,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LabScheme {
    /// SHA-256 over timestamp + nonce + secret + body (events, `card.action.trigger`).
    Sha256,
    /// SHA-1 over timestamp + nonce + secret + body (legacy card callbacks).
    Sha1,
}

impl From<SignatureScheme> for LabScheme {
    fn from(s: SignatureScheme) -> Self {
        match s {
            SignatureScheme::EventSha256 => Self::Sha256,
            SignatureScheme::LegacyCardSha1 => Self::Sha1,
        }
    }
}

impl LabScheme {
    fn label(self) -> &'static str {
        match self {
            Self::Sha256 => "SHA-256",
            Self::Sha1 => "SHA-1",
        }
    }

    /// The secret the platform uses with this scheme.
    fn platform_secret(self) -> SecretField {
        match self {
            Self::Sha256 => SecretField::EncryptKey,
            Self::Sha1 => SecretField::VerificationToken,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretField {
    EncryptKey,
    VerificationToken,
}

impl SecretField {
    /// As the console labels it.
    pub fn label(self) -> &'static str {
        match self {
            Self::EncryptKey => "Encrypt Key",
            Self::VerificationToken => "Verification Token",
        }
    }

    fn other(self) -> Self {
        match self {
            Self::EncryptKey => Self::VerificationToken,
            Self::VerificationToken => Self::EncryptKey,
        }
    }
}

/// One combination tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabAttempt {
    pub scheme: LabScheme,
    /// The profile field whose value was used.
    pub secret: SecretField,
    pub matches: bool,
    /// The combination the platform uses for this kind of body.
    pub expected: bool,
}

/// The lab's verdict. Secret values never appear in it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabReport {
    /// Whether the request passes every check a receiver should run.
    pub valid: bool,
    pub kind: RequestKind,
    pub event_type: Option<String>,
    pub encrypted: bool,
    /// The decrypted (or plain) JSON, secret-looking values masked.
    #[ts(type = "unknown")]
    pub decrypted: Option<Value>,
    /// Why an encrypted body could not be opened with the Encrypt Key (the `decryptFailed`
    /// finding says it too).
    pub decrypt_error: Option<LabDecryptError>,
    /// The scheme this kind of body is signed with (none for url_verification).
    pub expected_scheme: Option<LabScheme>,
    pub missing_headers: Vec<String>,
    pub attempts: Vec<LabAttempt>,
    /// Whether the body's Verification Token matches (none when the body carries none).
    pub token_matches: Option<bool>,
    /// The field that probably holds the wrong value, when one can be named.
    pub wrong_field: Option<SecretField>,
    /// Both fields' values look exchanged.
    pub swapped: bool,
    /// Seconds between the request's timestamp and now (positive: the request is older).
    #[ts(type = "number | null")]
    pub clock_skew_secs: Option<i64>,
    pub stale: bool,
    /// Everything found, in the order found, as codes with values: the UI words them
    /// (`relay.lab.findingText` in its catalogues).
    pub finding_keys: Vec<LabFinding>,
    /// The one-sentence verdict as a code with values (`relay.lab.summaryText`).
    pub summary_key: LabSummary,
}

/// What a lab finding says. The sentences live in the UI's catalogues under
/// `relay.lab.findingText.<code>`, with a `{{name}}` placeholder for each of
/// [`params`](Self::params). Secret values are the console's field names (`Encrypt Key`,
/// `Verification Token`), schemes `SHA-256` / `SHA-1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, EnumIter, IntoStaticStr)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
pub enum LabFindingCode {
    /// The body is encrypted and the Encrypt Key does not open it (`reason`: a
    /// [`LabDecryptError`]).
    DecryptFailed,
    /// The body opens with the Verification Token's value: the fields are swapped.
    DecryptsWithToken,
    NotJson,
    /// JSON, but not a callback the platform sends.
    UnknownShape,
    /// The signature matches only without the body's trailing whitespace.
    TrailingNewline,
    /// The profile lacks the secret this scheme needs (`secret`, `scheme`).
    NoSecretForSignature,
    /// `missing`: the header names joined with `,`.
    MissingHeaders,
    /// `scheme`, `secret`.
    SignatureValid,
    /// Signed with the other field's value (`used`, `scheme`, `secret`).
    SignatureWithOtherField,
    /// Signed with the scheme of another kind of callback (`usedScheme`, `usedSecret`, `kind`,
    /// `scheme`, `secret`).
    WrongScheme,
    /// No configured secret produces the signature (`secret`: the one expected).
    NoSecretMatches,
    /// The body's token is the Encrypt Key's value.
    TokenIsEncryptKey,
    TokenDiffers,
    /// Legacy card callbacks carry no Verification Token to compare.
    LegacyCardToken,
    /// The timestamp is too far off (`seconds`, `allowed`, `direction`: one of
    /// [`SKEW_DIRECTIONS`]).
    Stale,
}

impl LabFindingCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether it tells why a request fails; the others are notes (what passed, what was not
    /// compared, what only a pasted copy has).
    pub fn is_problem(self) -> bool {
        !matches!(
            self,
            Self::SignatureValid | Self::LegacyCardToken | Self::TrailingNewline
        )
    }

    /// The values its sentence names.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Self::DecryptFailed => &["reason"],
            Self::NoSecretForSignature => &["secret", "scheme"],
            Self::MissingHeaders => &["missing"],
            Self::SignatureValid => &["scheme", "secret"],
            Self::SignatureWithOtherField => &["used", "scheme", "secret"],
            Self::WrongScheme => &["usedScheme", "usedSecret", "kind", "scheme", "secret"],
            Self::NoSecretMatches => &["secret"],
            Self::Stale => &["seconds", "allowed", "direction"],
            Self::DecryptsWithToken
            | Self::NotJson
            | Self::UnknownShape
            | Self::TrailingNewline
            | Self::TokenIsEncryptKey
            | Self::TokenDiffers
            | Self::LegacyCardToken => &[],
        }
    }
}

/// The values of a `stale` finding's `direction`: the request is older than allowed, or dated
/// in the future (`relay.lab.direction.<value>`).
pub const SKEW_DIRECTIONS: [&str; 2] = ["old", "future"];

/// Adds a value to a code's sentence; only a name the code declares (checked in debug builds, so
/// a sentence never misses a value or gets one it does not name).
fn put_param(
    params: &mut BTreeMap<String, String>,
    declared: &[&str],
    code: impl std::fmt::Debug,
    key: &str,
    value: impl ToString,
) {
    debug_assert!(declared.contains(&key), "{key} for {code:?}");
    params.insert(key.to_owned(), value.to_string());
}

/// One lab finding: a code with the values of its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabFinding {
    pub code: LabFindingCode,
    #[ts(type = "{ [key in string]?: string }")]
    pub params: BTreeMap<String, String>,
}

impl LabFinding {
    fn new(code: LabFindingCode) -> Self {
        Self {
            code,
            params: BTreeMap::new(),
        }
    }

    fn param(mut self, key: &str, value: impl ToString) -> Self {
        put_param(&mut self.params, self.code.params(), self.code, key, value);
        self
    }
}

/// The verdict in one sentence (`relay.lab.summaryText.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, EnumIter, IntoStaticStr)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
pub enum LabSummaryCode {
    /// Every check a receiver runs passes.
    Valid,
    /// The Encrypt Key and the Verification Token look exchanged.
    Swapped,
    /// `secret` is probably wrong, `other` is not involved.
    WrongField,
    /// A finding says why: the one at [`LabSummary::finding`] (`first`: its sentence, which the
    /// UI fills in).
    FirstFinding,
    /// Invalid, with no finding to name.
    SeeFindings,
}

impl LabSummaryCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The values its sentence names (`first` comes from the UI, not from here).
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Self::WrongField => &["secret", "other"],
            Self::FirstFinding => &["first"],
            Self::Valid | Self::Swapped | Self::SeeFindings => &[],
        }
    }
}

/// The lab's verdict as a code with the values of its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabSummary {
    pub code: LabSummaryCode,
    #[ts(type = "{ [key in string]?: string }")]
    pub params: BTreeMap<String, String>,
    /// For `firstFinding`: the index in [`LabReport::finding_keys`] of the first finding that
    /// makes the request invalid (notes such as `signatureValid` come before it).
    pub finding: Option<usize>,
}

impl LabSummary {
    fn new(code: LabSummaryCode) -> Self {
        Self {
            code,
            params: BTreeMap::new(),
            finding: None,
        }
    }

    fn param(mut self, key: &str, value: impl ToString) -> Self {
        put_param(&mut self.params, self.code.params(), self.code, key, value);
        self
    }
}

/// Why an encrypted body did not open with the Encrypt Key (`relay.lab.decryptReasons.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, EnumIter, IntoStaticStr)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
pub enum LabDecryptError {
    /// The profile has no Encrypt Key.
    NoKey,
    /// The `encrypt` value is not base64: mangled while copying.
    NotBase64,
    /// The `encrypt` value is too short, or not whole AES blocks: cut off while copying.
    Truncated,
    /// The padding is wrong after decryption: almost always the wrong Encrypt Key.
    BadKey,
    /// It decrypts, but not to UTF-8 text.
    NotUtf8,
    /// It decrypts to text that is not JSON.
    NotJson,
}

impl LabDecryptError {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl From<crypto::CryptoError> for LabDecryptError {
    fn from(e: crypto::CryptoError) -> Self {
        use crypto::CryptoError as E;
        match e {
            E::BadBase64 => Self::NotBase64,
            E::TooShort { .. } | E::NotBlockMultiple { .. } => Self::Truncated,
            E::BadPadding => Self::BadKey,
            E::NotUtf8 => Self::NotUtf8,
        }
    }
}

/// Header lines to pairs; tolerates `HTTP/1.1` request lines and blank lines.
fn parse_headers(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            let name = name.trim();
            (!name.is_empty() && !name.contains(' '))
                .then(|| (name.to_string(), value.trim().to_string()))
        })
        .collect()
}

impl LabInput {
    /// Headers and body, splitting a whole raw request when `body` is empty.
    fn parts(&self) -> (Vec<(String, String)>, String) {
        if self.body.is_empty() {
            let text = self.headers.replace("\r\n", "\n");
            if let Some((head, body)) = text.split_once("\n\n") {
                return (parse_headers(head), body.to_string());
            }
        }
        (parse_headers(&self.headers), self.body.clone())
    }
}

fn signs(scheme: LabScheme, h: &SignatureHeaders, secret: &str, body: &[u8]) -> bool {
    let (Some(ts), Some(nonce), Some(sig)) = (&h.timestamp, &h.nonce, &h.signature) else {
        return false;
    };
    match scheme {
        LabScheme::Sha256 => crypto::verify_event_signature(ts, nonce, secret, body, sig),
        LabScheme::Sha1 => crypto::verify_legacy_card_signature(ts, nonce, secret, body, sig),
    }
}

/// Analyses a pasted request against a profile's secrets at `now`: opens the body, works out
/// the signature scheme that applies, tries every scheme with every secret, compares the body's
/// Verification Token and measures the clock skew, in that order (the findings follow it).
pub fn analyze(
    input: &LabInput,
    keys: &RelayKeys,
    now: DateTime<Utc>,
    max_skew_secs: i64,
) -> LabReport {
    let (pairs, body) = input.parts();
    let headers = SignatureHeaders::from_pairs(pairs.iter().map(|(k, v)| (&**k, &**v)));
    let mut diagnosis = Diagnosis::default();

    let opened = open_body(&body, keys, &mut diagnosis);
    let expected = expected_scheme(opened.envelope.as_ref(), &headers);
    let signature = try_signatures(
        &body,
        &headers,
        keys,
        &expected,
        opened.kind,
        &mut diagnosis,
    );
    let token_matches =
        check_body_token(opened.envelope.as_ref(), opened.kind, keys, &mut diagnosis);
    let skew = measure_clock_skew(&headers, now, max_skew_secs, &mut diagnosis);

    let Diagnosis {
        findings,
        wrong_field,
        swapped,
    } = diagnosis;
    let readable = opened.plaintext.is_some() && opened.envelope.is_some();
    let valid = readable && signature.ok && token_matches != Some(false) && !skew.stale;
    let summary_key = summarize(valid, swapped, wrong_field, &findings);
    let decrypted = opened.plaintext.map(|mut p| {
        scrub::json(&mut p, &keys.values());
        p
    });
    LabReport {
        valid,
        kind: opened.kind,
        event_type: opened.event_type,
        encrypted: opened.encrypted,
        decrypted,
        decrypt_error: opened.decrypt_error,
        expected_scheme: expected.scheme,
        missing_headers: expected.missing_headers,
        attempts: signature.attempts,
        token_matches,
        wrong_field,
        swapped,
        clock_skew_secs: skew.secs,
        stale: skew.stale,
        finding_keys: findings,
        summary_key,
    }
}

/// What the stages conclude together: the findings in the order found, the field that probably
/// holds the wrong value, and whether the two fields look exchanged.
#[derive(Debug, Default)]
struct Diagnosis {
    findings: Vec<LabFinding>,
    wrong_field: Option<SecretField>,
    swapped: bool,
}

/// The profile's value for `field`, when it has one.
fn secret_of(keys: &RelayKeys, field: SecretField) -> Option<&str> {
    match field {
        SecretField::EncryptKey => keys.encrypt_key(),
        SecretField::VerificationToken => keys.verification_token(),
    }
}

/// The body as read by [`open_body`].
#[derive(Debug)]
struct OpenedBody {
    /// The body was `{"encrypt": ...}`.
    encrypted: bool,
    /// The decrypted (or plain) JSON, secrets not yet masked.
    plaintext: Option<Value>,
    decrypt_error: Option<LabDecryptError>,
    envelope: Option<Envelope>,
    kind: RequestKind,
    event_type: Option<String>,
}

/// Stage 1: parses the body, decrypts it with the Encrypt Key, and reads the callback envelope.
/// When the Encrypt Key does not open it, the Verification Token is tried too: a body that opens
/// with the Verification Token means the fields are swapped.
fn open_body(body: &str, keys: &RelayKeys, diagnosis: &mut Diagnosis) -> OpenedBody {
    let outer: Option<Value> = serde_json::from_str(body).ok();
    let encrypted_value = outer
        .as_ref()
        .and_then(|o| o.get("encrypt"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut decrypt_error = None;
    let plaintext: Option<Value> = match &encrypted_value {
        Some(enc) => {
            let open = |key: Option<&str>| {
                key.and_then(|k| crypto::decrypt_to_string(k, enc).ok())
                    .and_then(|p| serde_json::from_str::<Value>(&p).ok())
            };
            match open(secret_of(keys, SecretField::EncryptKey)) {
                Some(v) => Some(v),
                None => {
                    let reason = match secret_of(keys, SecretField::EncryptKey) {
                        None => LabDecryptError::NoKey,
                        Some(k) => match crypto::decrypt_to_string(k, enc) {
                            Err(e) => e.into(),
                            Ok(_) => LabDecryptError::NotJson,
                        },
                    };
                    decrypt_error = Some(reason);
                    diagnosis.findings.push(
                        LabFinding::new(LabFindingCode::DecryptFailed)
                            .param("reason", reason.as_str()),
                    );
                    let by_token = open(secret_of(keys, SecretField::VerificationToken));
                    if by_token.is_some() {
                        diagnosis.swapped = true;
                        diagnosis.wrong_field = Some(SecretField::EncryptKey);
                        diagnosis
                            .findings
                            .push(LabFinding::new(LabFindingCode::DecryptsWithToken));
                    }
                    by_token
                }
            }
        }
        None => outer.clone(),
    };
    if outer.is_none() {
        diagnosis
            .findings
            .push(LabFinding::new(LabFindingCode::NotJson));
    }
    let envelope = plaintext
        .as_ref()
        .and_then(|p| envelope::parse_value(p, encrypted_value.is_some()).ok());
    if plaintext.is_some() && envelope.is_none() {
        diagnosis
            .findings
            .push(LabFinding::new(LabFindingCode::UnknownShape));
    }
    let kind = envelope
        .as_ref()
        .map(RequestKind::of)
        .unwrap_or(RequestKind::Unknown);
    let event_type = envelope.as_ref().and_then(event_type_of);
    OpenedBody {
        encrypted: encrypted_value.is_some(),
        plaintext,
        decrypt_error,
        envelope,
        kind,
        event_type,
    }
}

/// The scheme a receiver checks, and the signature headers the request lacks.
#[derive(Debug, PartialEq, Eq)]
struct ExpectedScheme {
    scheme: Option<LabScheme>,
    missing_headers: Vec<String>,
}

/// Stage 2: which scheme applies, from the body's kind, else (an unreadable body) from the
/// signature's length (40 hex digits: SHA-1); and which signature headers are missing.
fn expected_scheme(envelope: Option<&Envelope>, headers: &SignatureHeaders) -> ExpectedScheme {
    let scheme = match envelope {
        Some(e) => e.signature_scheme().map(LabScheme::from),
        None => match headers.signature.as_deref().map(str::len) {
            Some(40) => Some(LabScheme::Sha1),
            Some(_) => Some(LabScheme::Sha256),
            None => None,
        },
    };
    let mut missing_headers = Vec::new();
    for (name, value) in [
        (envelope::HEADER_TIMESTAMP, &headers.timestamp),
        (envelope::HEADER_NONCE, &headers.nonce),
        (envelope::HEADER_SIGNATURE, &headers.signature),
    ] {
        if value.is_none() {
            missing_headers.push(name.to_string());
        }
    }
    ExpectedScheme {
        scheme,
        missing_headers,
    }
}

/// What [`try_signatures`] found.
#[derive(Debug)]
struct SignatureCheck {
    attempts: Vec<LabAttempt>,
    /// Whether the signature passes the check a receiver runs (true when none applies).
    ok: bool,
}

/// Stage 3: tries every scheme with every configured secret (a pasted body often gains a
/// trailing newline, so the trimmed body counts too, with a finding), then judges the expected
/// combination: valid, made with the other field (swapped), the wrong scheme for this kind of
/// callback, or no match at all (the expected field's value probably differs from the console's).
fn try_signatures(
    body: &str,
    headers: &SignatureHeaders,
    keys: &RelayKeys,
    expected: &ExpectedScheme,
    kind: RequestKind,
    diagnosis: &mut Diagnosis,
) -> SignatureCheck {
    let trimmed = body.trim_end();
    let mut attempts = Vec::new();
    let mut matched_trimmed = false;
    for scheme in [LabScheme::Sha256, LabScheme::Sha1] {
        for field in [SecretField::EncryptKey, SecretField::VerificationToken] {
            let Some(value) = secret_of(keys, field) else {
                continue;
            };
            let exact = signs(scheme, headers, value, body.as_bytes());
            let loose =
                !exact && trimmed != body && signs(scheme, headers, value, trimmed.as_bytes());
            matched_trimmed |= loose;
            attempts.push(LabAttempt {
                scheme,
                secret: field,
                matches: exact || loose,
                expected: expected.scheme == Some(scheme) && scheme.platform_secret() == field,
            });
        }
    }
    let findings = &mut diagnosis.findings;
    if matched_trimmed {
        findings.push(LabFinding::new(LabFindingCode::TrailingNewline));
    }
    let matching = attempts.iter().find(|a| a.matches).cloned();
    let ok = match expected.scheme {
        None => true,
        Some(scheme) => {
            let field = scheme.platform_secret();
            if secret_of(keys, field).is_none() {
                findings.push(
                    LabFinding::new(LabFindingCode::NoSecretForSignature)
                        .param("secret", field.label())
                        .param("scheme", scheme.label()),
                );
                // The platform only signs events when an Encrypt Key is set.
                field == SecretField::EncryptKey && headers.signature.is_none()
            } else if !expected.missing_headers.is_empty() {
                findings.push(
                    LabFinding::new(LabFindingCode::MissingHeaders)
                        .param("missing", expected.missing_headers.join(",")),
                );
                false
            } else {
                match &matching {
                    Some(a) if a.expected => {
                        findings.push(
                            LabFinding::new(LabFindingCode::SignatureValid)
                                .param("scheme", scheme.label())
                                .param("secret", field.label()),
                        );
                        true
                    }
                    Some(a) if a.scheme == scheme => {
                        diagnosis.swapped = true;
                        diagnosis.wrong_field = Some(field);
                        findings.push(
                            LabFinding::new(LabFindingCode::SignatureWithOtherField)
                                .param("used", a.secret.label())
                                .param("scheme", scheme.label())
                                .param("secret", field.label()),
                        );
                        false
                    }
                    Some(a) => {
                        findings.push(
                            LabFinding::new(LabFindingCode::WrongScheme)
                                .param("usedScheme", a.scheme.label())
                                .param("usedSecret", a.secret.label())
                                .param("kind", kind.as_str())
                                .param("scheme", scheme.label())
                                .param("secret", field.label()),
                        );
                        false
                    }
                    None => {
                        diagnosis.wrong_field = diagnosis.wrong_field.or(Some(field));
                        findings.push(
                            LabFinding::new(LabFindingCode::NoSecretMatches)
                                .param("secret", field.label()),
                        );
                        false
                    }
                }
            }
        }
    };
    SignatureCheck { attempts, ok }
}

/// Stage 4: compares the Verification Token the body carries with the profile's (none to
/// compare when the body carries none: legacy cards carry only a card-update token). A token
/// equal to the Encrypt Key field's value means the fields are swapped; and once swapped, the
/// Encrypt Key is named when no other field was. Returns whether the token matches.
fn check_body_token(
    envelope: Option<&Envelope>,
    kind: RequestKind,
    keys: &RelayKeys,
    diagnosis: &mut Diagnosis,
) -> Option<bool> {
    let body_token = envelope.and_then(body_token);
    let token_matches =
        body_token.map(
            |received| match secret_of(keys, SecretField::VerificationToken) {
                Some(expected) => crypto::ct_eq_str(expected, received),
                None => true,
            },
        );
    if token_matches == Some(false) {
        let is_ek = secret_of(keys, SecretField::EncryptKey)
            .is_some_and(|k| crypto::ct_eq_str(k, body_token.unwrap_or_default()));
        if is_ek {
            diagnosis.swapped = true;
            diagnosis
                .findings
                .push(LabFinding::new(LabFindingCode::TokenIsEncryptKey));
        } else {
            diagnosis
                .findings
                .push(LabFinding::new(LabFindingCode::TokenDiffers));
        }
        diagnosis.wrong_field = diagnosis
            .wrong_field
            .or(Some(SecretField::VerificationToken));
    }
    if kind == RequestKind::LegacyCardAction {
        diagnosis
            .findings
            .push(LabFinding::new(LabFindingCode::LegacyCardToken));
    }
    if diagnosis.swapped {
        diagnosis.wrong_field = diagnosis.wrong_field.or(Some(SecretField::EncryptKey));
    }
    token_matches
}

/// The request's age as [`measure_clock_skew`] found it.
#[derive(Debug, PartialEq, Eq)]
struct ClockSkew {
    /// Seconds between the timestamp header and now (positive: the request is older).
    secs: Option<i64>,
    /// Further off than a receiver accepts.
    stale: bool,
}

/// Stage 5: the seconds between the timestamp header and `now`, and whether that is beyond the
/// `max_skew_secs` a receiver accepts (either way: a replay, or a clock that is off).
fn measure_clock_skew(
    headers: &SignatureHeaders,
    now: DateTime<Utc>,
    max_skew_secs: i64,
    diagnosis: &mut Diagnosis,
) -> ClockSkew {
    let secs = headers
        .timestamp
        .as_deref()
        .and_then(|t| t.trim().parse::<i64>().ok())
        .map(|ts| now.timestamp() - ts);
    let stale = secs.is_some_and(|s| s.abs() > max_skew_secs);
    if let (true, Some(skew)) = (stale, secs) {
        let [old, future] = SKEW_DIRECTIONS;
        diagnosis.findings.push(
            LabFinding::new(LabFindingCode::Stale)
                .param("seconds", skew.abs())
                .param("allowed", max_skew_secs)
                .param("direction", if skew > 0 { old } else { future }),
        );
    }
    ClockSkew { secs, stale }
}

/// The one-sentence verdict: valid; else swapped fields, the field probably wrong, or the first
/// finding that says why.
fn summarize(
    valid: bool,
    swapped: bool,
    wrong: Option<SecretField>,
    findings: &[LabFinding],
) -> LabSummary {
    if valid {
        return LabSummary::new(LabSummaryCode::Valid);
    }
    if swapped {
        return LabSummary::new(LabSummaryCode::Swapped);
    }
    match (wrong, findings.iter().position(|f| f.code.is_problem())) {
        (Some(field), _) => LabSummary::new(LabSummaryCode::WrongField)
            .param("secret", field.label())
            .param("other", field.other().label()),
        (None, Some(index)) => LabSummary {
            finding: Some(index),
            ..LabSummary::new(LabSummaryCode::FirstFinding)
        },
        (None, None) => LabSummary::new(LabSummaryCode::SeeFindings),
    }
}

fn event_type_of(e: &Envelope) -> Option<String> {
    match e {
        Envelope::EventV2 { event_type, .. } | Envelope::EventV1 { event_type, .. } => {
            Some(event_type.clone())
        }
        Envelope::CardActionTrigger(_) => Some("card.action.trigger".to_string()),
        _ => None,
    }
}

fn body_token(e: &Envelope) -> Option<&str> {
    match e {
        Envelope::UrlVerification { token, .. }
        | Envelope::EventV1 { token, .. }
        | Envelope::EventV2 { token, .. } => Some(token),
        Envelope::CardActionTrigger(c) => Some(&c.token),
        Envelope::LegacyCardAction(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use strum::IntoEnumIterator;

    use super::*;
    use crate::relay::seal::{nonce, seal};
    use LabFindingCode as F;

    fn codes(findings: &[LabFinding]) -> Vec<LabFindingCode> {
        findings.iter().map(|f| f.code).collect()
    }

    fn finding(report: &LabReport, code: LabFindingCode) -> &LabFinding {
        report
            .finding_keys
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code:?} in {:?}", report.finding_keys))
    }

    const EK: &str = "lab-encrypt-key-1";
    const VT: &str = "lab-verification-token-1";

    fn input(kind: RequestKind, plain: &str, keys: &RelayKeys, ts: i64) -> LabInput {
        let sealed = seal(
            kind,
            plain.as_bytes(),
            keys,
            true,
            &ts.to_string(),
            &nonce(),
        );
        LabInput {
            headers: sealed
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n"),
            body: String::from_utf8(sealed.body).unwrap(),
        }
    }

    const LEGACY: &str = r#"{"open_message_id":"om_1","token":"c-upd","action":{"value":{"a":1}}}"#;

    #[test]
    fn valid_request_passes() {
        let keys = RelayKeys::new(Some(EK), Some(VT));
        let now = Utc::now();
        let report = analyze(
            &input(
                RequestKind::LegacyCardAction,
                LEGACY,
                &keys,
                now.timestamp(),
            ),
            &keys,
            now,
            300,
        );
        assert!(report.valid, "{report:?}");
        assert_eq!(report.expected_scheme, Some(LabScheme::Sha1));
        assert_eq!(report.summary_key, LabSummary::new(LabSummaryCode::Valid));
        assert_eq!(report.decrypt_error, None);
        assert_eq!(
            codes(&report.finding_keys),
            [F::SignatureValid, F::LegacyCardToken]
        );
        let valid = finding(&report, F::SignatureValid);
        assert_eq!(valid.params["scheme"], "SHA-1");
        assert_eq!(valid.params["secret"], "Verification Token");
    }

    #[test]
    fn swapped_secrets_are_named() {
        let platform = RelayKeys::new(Some(EK), Some(VT));
        let profile = RelayKeys::new(Some(VT), Some(EK));
        let now = Utc::now();
        let report = analyze(
            &input(
                RequestKind::LegacyCardAction,
                LEGACY,
                &platform,
                now.timestamp(),
            ),
            &profile,
            now,
            300,
        );
        assert!(!report.valid);
        assert!(report.swapped, "{report:?}");
        assert_eq!(report.wrong_field, Some(SecretField::VerificationToken));
        assert_eq!(report.summary_key.code, LabSummaryCode::Swapped);
        let other = finding(&report, F::SignatureWithOtherField);
        assert_eq!(other.params["used"], "Encrypt Key");
        assert_eq!(other.params["scheme"], "SHA-1");
        assert_eq!(other.params["secret"], "Verification Token");
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(EK) && !json.contains(VT));
    }

    #[test]
    fn stale_timestamps_and_raw_requests() {
        let keys = RelayKeys::new(Some(EK), Some(VT));
        let now = Utc::now();
        let mut i = input(
            RequestKind::LegacyCardAction,
            LEGACY,
            &keys,
            now.timestamp() - 900,
        );
        i.headers = format!("POST /callback HTTP/1.1\n{}\n\n{}\n", i.headers, i.body);
        i.body = String::new();
        let report = analyze(&i, &keys, now, 300);
        assert!(report.stale);
        assert_eq!(report.clock_skew_secs, Some(900));
        let stale = finding(&report, F::Stale);
        assert_eq!(stale.params["seconds"], "900");
        assert_eq!(stale.params["allowed"], "300");
        assert_eq!(stale.params["direction"], "old");
        // The raw request ends in a newline after the body. The summary names the stale
        // timestamp, not the notes found before it.
        assert_eq!(
            codes(&report.finding_keys),
            [
                F::TrailingNewline,
                F::SignatureValid,
                F::LegacyCardToken,
                F::Stale
            ]
        );
        assert_eq!(report.summary_key.code, LabSummaryCode::FirstFinding);
        assert_eq!(report.summary_key.finding, Some(3));
        assert!(report.attempts.iter().any(|a| a.expected && a.matches));
    }

    fn headers_of(input: &LabInput) -> SignatureHeaders {
        let (pairs, _) = input.parts();
        SignatureHeaders::from_pairs(pairs.iter().map(|(k, v)| (&**k, &**v)))
    }

    fn event_v2(token: &str) -> String {
        format!(
            r#"{{"schema":"2.0","header":{{"event_id":"e","event_type":"im.chat.disbanded_v1","token":"{token}"}},"event":{{}}}}"#
        )
    }

    #[test]
    fn open_body_tries_the_token_when_the_encrypt_key_fails() {
        // Encrypted with the Verification Token's value: the profile's Encrypt Key cannot open it.
        let body = serde_json::json!({ "encrypt": crypto::encrypt(VT, event_v2(VT).as_bytes()) })
            .to_string();
        let keys = RelayKeys::new(Some(EK), Some(VT));
        let mut diagnosis = Diagnosis::default();
        let opened = open_body(&body, &keys, &mut diagnosis);
        assert!(
            opened.encrypted && opened.decrypt_error == Some(LabDecryptError::BadKey),
            "{opened:?}"
        );
        assert!(opened.plaintext.is_some());
        assert_eq!(opened.kind, RequestKind::EventV2);
        assert_eq!(opened.event_type.as_deref(), Some("im.chat.disbanded_v1"));
        assert!(diagnosis.swapped);
        assert_eq!(diagnosis.wrong_field, Some(SecretField::EncryptKey));
        assert_eq!(
            codes(&diagnosis.findings),
            [F::DecryptFailed, F::DecryptsWithToken]
        );
        assert_eq!(diagnosis.findings[0].params["reason"], "badKey");

        // No Encrypt Key at all, and a body that is not JSON.
        let mut diagnosis = Diagnosis::default();
        let opened = open_body(&body, &RelayKeys::new(None, None), &mut diagnosis);
        assert_eq!(opened.decrypt_error, Some(LabDecryptError::NoKey));
        assert_eq!(diagnosis.findings[0].params["reason"], "noKey");
        assert_eq!(opened.kind, RequestKind::Unknown);
        assert!(!diagnosis.swapped && diagnosis.wrong_field.is_none());
        let mut diagnosis = Diagnosis::default();
        let opened = open_body("not json", &keys, &mut diagnosis);
        assert!(!opened.encrypted && opened.plaintext.is_none());
        assert_eq!(codes(&diagnosis.findings), [F::NotJson]);
        let mut diagnosis = Diagnosis::default();
        let opened = open_body(r#"{"hello":1}"#, &keys, &mut diagnosis);
        assert!(opened.plaintext.is_some() && opened.envelope.is_none());
        assert_eq!(codes(&diagnosis.findings), [F::UnknownShape]);
    }

    /// A mangled `encrypt` value is told apart from a wrong Encrypt Key, and a body that
    /// decrypts to something other than JSON from both.
    #[test]
    fn decrypt_errors_name_the_cause() {
        let keys = RelayKeys::new(Some(EK), Some(VT));
        let reason = |encrypt: &str| {
            let body = serde_json::json!({ "encrypt": encrypt }).to_string();
            let mut diagnosis = Diagnosis::default();
            let opened = open_body(&body, &keys, &mut diagnosis);
            let error = opened.decrypt_error.expect("not decrypted");
            assert_eq!(diagnosis.findings[0].code, F::DecryptFailed);
            assert_eq!(diagnosis.findings[0].params["reason"], error.as_str());
            error
        };
        assert_eq!(reason("not base64!"), LabDecryptError::NotBase64);
        assert_eq!(reason("AAAA"), LabDecryptError::Truncated);
        assert_eq!(
            reason(&crypto::encrypt(EK, b"plain words")),
            LabDecryptError::NotJson
        );
        assert_eq!(
            reason(&crypto::encrypt(EK, &[0xff, 0xfe])),
            LabDecryptError::NotUtf8
        );
    }

    #[test]
    fn expected_scheme_comes_from_the_body_else_the_signature_length() {
        let keys = RelayKeys::new(Some(EK), Some(VT));
        let now = Utc::now().timestamp();
        let legacy = input(RequestKind::LegacyCardAction, LEGACY, &keys, now);
        let envelope = envelope::parse_value(&serde_json::from_str(LEGACY).unwrap(), false).ok();
        let expected = expected_scheme(envelope.as_ref(), &headers_of(&legacy));
        assert_eq!(expected.scheme, Some(LabScheme::Sha1));
        assert!(expected.missing_headers.is_empty());

        // An unreadable body: a 40-digit signature is SHA-1, any other length SHA-256.
        let headers = |sig: &str| SignatureHeaders::from_pairs([(envelope::HEADER_SIGNATURE, sig)]);
        let sha1 = expected_scheme(None, &headers(&"a".repeat(40)));
        assert_eq!(sha1.scheme, Some(LabScheme::Sha1));
        assert_eq!(
            sha1.missing_headers,
            [envelope::HEADER_TIMESTAMP, envelope::HEADER_NONCE]
        );
        let sha256 = expected_scheme(None, &headers(&"a".repeat(64)));
        assert_eq!(sha256.scheme, Some(LabScheme::Sha256));
        let none = expected_scheme(None, &SignatureHeaders::default());
        assert_eq!(none.scheme, None);
        assert_eq!(none.missing_headers.len(), 3);
    }

    #[test]
    fn signatures_match_a_body_that_gained_a_newline_and_need_every_header() {
        let keys = RelayKeys::new(Some(EK), Some(VT));
        let now = Utc::now().timestamp();
        let sealed = input(RequestKind::EventV2, &event_v2(VT), &keys, now);
        let headers = headers_of(&sealed);
        let expected = expected_scheme(None, &headers);
        assert_eq!(expected.scheme, Some(LabScheme::Sha256));

        let mut diagnosis = Diagnosis::default();
        let body = format!("{}\n", sealed.body);
        let check = try_signatures(
            &body,
            &headers,
            &keys,
            &expected,
            RequestKind::EventV2,
            &mut diagnosis,
        );
        assert!(check.ok);
        assert_eq!(check.attempts.len(), 4);
        assert_eq!(
            codes(&diagnosis.findings),
            [F::TrailingNewline, F::SignatureValid]
        );
        assert_eq!(diagnosis.findings[1].params["scheme"], "SHA-256");
        assert_eq!(diagnosis.findings[1].params["secret"], "Encrypt Key");

        let mut unsigned = sealed.clone();
        unsigned.headers = unsigned
            .headers
            .lines()
            .filter(|l| !l.starts_with(envelope::HEADER_NONCE))
            .collect::<Vec<_>>()
            .join("\n");
        let headers = headers_of(&unsigned);
        let expected = expected_scheme(None, &headers);
        let mut diagnosis = Diagnosis::default();
        let check = try_signatures(
            &sealed.body,
            &headers,
            &keys,
            &expected,
            RequestKind::EventV2,
            &mut diagnosis,
        );
        assert!(!check.ok && check.attempts.iter().all(|a| !a.matches));
        assert_eq!(codes(&diagnosis.findings), [F::MissingHeaders]);
        assert_eq!(
            diagnosis.findings[0].params["missing"],
            envelope::HEADER_NONCE
        );
    }

    #[test]
    fn a_body_token_equal_to_the_encrypt_key_means_swapped_fields() {
        let keys = RelayKeys::new(Some(EK), Some(VT));
        let envelope =
            envelope::parse_value(&serde_json::from_str(&event_v2(EK)).unwrap(), false).unwrap();
        let mut diagnosis = Diagnosis::default();
        let matches =
            check_body_token(Some(&envelope), RequestKind::EventV2, &keys, &mut diagnosis);
        assert_eq!(matches, Some(false));
        assert!(diagnosis.swapped);
        assert_eq!(diagnosis.wrong_field, Some(SecretField::VerificationToken));
        assert_eq!(codes(&diagnosis.findings), [F::TokenIsEncryptKey]);

        // Without a Verification Token in the profile there is nothing to compare against.
        let mut diagnosis = Diagnosis::default();
        let matches = check_body_token(
            Some(&envelope),
            RequestKind::EventV2,
            &RelayKeys::new(Some(EK), None),
            &mut diagnosis,
        );
        assert_eq!(matches, Some(true));
        assert!(diagnosis.findings.is_empty() && !diagnosis.swapped);
    }

    #[test]
    fn clock_skew_counts_both_ways() {
        let now = Utc::now();
        let headers = |ts: i64| {
            SignatureHeaders::from_pairs([(envelope::HEADER_TIMESTAMP, ts.to_string().as_str())])
        };
        let mut diagnosis = Diagnosis::default();
        let skew = measure_clock_skew(&headers(now.timestamp() + 400), now, 300, &mut diagnosis);
        assert_eq!(
            skew,
            ClockSkew {
                secs: Some(-400),
                stale: true
            }
        );
        assert_eq!(codes(&diagnosis.findings), [F::Stale]);
        assert_eq!(diagnosis.findings[0].params["seconds"], "400");
        assert_eq!(diagnosis.findings[0].params["direction"], "future");
        let skew = measure_clock_skew(&headers(now.timestamp() - 300), now, 300, &mut diagnosis);
        assert_eq!(
            skew,
            ClockSkew {
                secs: Some(300),
                stale: false
            }
        );
        let skew = measure_clock_skew(&SignatureHeaders::default(), now, 300, &mut diagnosis);
        assert_eq!(
            skew,
            ClockSkew {
                secs: None,
                stale: false
            }
        );
        assert_eq!(diagnosis.findings.len(), 1);
    }

    use crate::problem::testing::{catalogues, placeholders};

    /// Every code the lab sends has a sentence in English and in Chinese under `relay.lab`,
    /// naming the same values in both languages, and the values the code sends.
    #[test]
    fn every_code_has_a_sentence_in_both_languages() {
        let (en, zh) = catalogues();
        let strings = |params: &[&str]| params.iter().map(|p| p.to_string()).collect();
        let entries: Vec<(&str, &str, BTreeSet<String>)> = LabFindingCode::iter()
            .map(|c| ("findingText", c.as_str(), strings(c.params())))
            .chain(LabSummaryCode::iter().map(|c| ("summaryText", c.as_str(), strings(c.params()))))
            .chain(LabDecryptError::iter().map(|c| ("decryptReasons", c.as_str(), BTreeSet::new())))
            .chain(
                SKEW_DIRECTIONS
                    .iter()
                    .map(|d| ("direction", *d, BTreeSet::new())),
            )
            .collect();
        let mut missing = Vec::new();
        for (group, key, params) in &entries {
            let sentence = |lang: &Value| {
                lang["relay"]["lab"][group][key]
                    .as_str()
                    .filter(|s| !s.trim().is_empty())
                    .map(placeholders)
            };
            match (sentence(&en), sentence(&zh)) {
                (Some(e), Some(z)) => {
                    assert_eq!(e, z, "relay.lab.{group}.{key}: English and Chinese differ");
                    assert_eq!(&e, params, "relay.lab.{group}.{key}: not the values sent");
                }
                _ => missing.push(format!("relay.lab.{group}.{key}")),
            }
        }
        assert!(missing.is_empty(), "no sentence for: {missing:?}");

        // And no sentence is left for a code that is gone.
        for group in ["findingText", "summaryText", "decryptReasons", "direction"] {
            for lang in [&en, &zh] {
                let stale: Vec<&String> = lang["relay"]["lab"][group]
                    .as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| !entries.iter().any(|(g, c, _)| *g == group && c == k))
                    .collect();
                assert!(
                    stale.is_empty(),
                    "relay.lab.{group} without a code: {stale:?}"
                );
            }
        }
    }

    /// The codes travel as the strings the catalogues are keyed by.
    #[test]
    fn codes_serialize_as_their_catalogue_keys() {
        for code in LabFindingCode::iter() {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        for code in LabSummaryCode::iter() {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        for code in LabDecryptError::iter() {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        assert_eq!(
            serde_json::to_value(LabFinding::new(F::NotJson)).unwrap(),
            serde_json::json!({"code": "notJson", "params": {}})
        );
    }
}
