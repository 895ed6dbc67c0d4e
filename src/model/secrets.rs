//! What a secret looks like: secret-taking names, well-known credential formats, placeholders,
//! and masking. Shared by every lowering (which records candidate sites) and by the rules and
//! reports (which decide and mask).

use regex::{Regex, RegexSet};
use std::sync::OnceLock;

/// Lowercase with `_` and `-` removed, so `admin_password`, `adminPassword` and
/// `--admin-password` compare equal.
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a parameter or variable name says it holds a secret (Bicep's
/// `secure-secrets-in-params` words, with arm-ttk's exclusions).
pub fn is_secret_parameter_name(name: &str) -> bool {
    let n = normalize_name(name);
    const WORDS: &[&str] = &[
        "password",
        "pwd",
        "secret",
        "accountkey",
        "acctkey",
        "clientkey",
        "apikey",
        "sastoken",
        "connectionstring",
        "privatekey",
    ];
    // What follows the last secret word tells whether the name is *about* a secret
    // (`secretName`, `passwordLength`, `keyVaultSecretUri`) rather than holding one.
    // One pass over the name for all words: this runs on every parameter of every unit.
    static WORD_FINDER: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let finder = WORD_FINDER.get_or_init(|| {
        aho_corasick::AhoCorasick::new(WORDS).expect("literal secret words always build")
    });
    let Some(after) = finder
        .find_overlapping_iter(&n)
        .map(|m| m.end())
        .max()
        .map(|end| &n[end..])
    else {
        return false;
    };
    const ABOUT: &[&str] = &[
        "name",
        "version",
        "uri",
        "url",
        "permission",
        "length",
        "policy",
        "policies",
        "expir",
        "enabled",
        "type",
        "id",
        "reference",
        "ref",
        "rotation",
        "required",
        "complexity",
        "mode",
        "count",
        "setting",
        "vault",
        "store",
        "location",
        "path",
        "file",
        "source",
        "format",
        "contenttype",
        "tags",
        "date",
        "days",
        "kind",
        "option",
        "rule",
    ];
    const FLAGS: &[&str] = &[
        "enable", "disable", "is", "has", "use", "should", "generate", "reset", "allow",
    ];
    !ABOUT.iter().any(|w| after.contains(w)) && !FLAGS.iter().any(|f| n.starts_with(f))
}

/// Whether a property or attribute named `key` takes a credential as its value.
pub fn is_secret_property(key: &str) -> bool {
    let n = normalize_name(key);
    const EXACT: &[&str] = &[
        "password",
        "adminpassword",
        "administratorloginpassword",
        "clientsecret",
        "secret",
        "accountkey",
        "storageaccountkey",
        "storageaccountaccesskey",
        "primarykey",
        "secondarykey",
        "sharedkey",
        "sharedaccesskey",
        "apikey",
        "sastoken",
        "privatekey",
        "registrypassword",
        "certificatepassword",
        "runaspassword",
        "secretaccesskey",
        "accesstoken",
        "refreshtoken",
        "workspacekey",
        "primarysharedkey",
        "secondarysharedkey",
        "clientcertificatepassword",
        "personalaccesstoken",
        "appkey",
        "masterkey",
        "primarymasterkey",
        "secondarymasterkey",
        "authkey",
        "authenticationkey",
        "encryptionkey",
        "vpnclientkey",
        "presharedkey",
        "sharedsecret",
        "serviceprincipalsecret",
    ];
    if EXACT.contains(&n.as_str()) {
        return true;
    }
    (n.ends_with("password") || n.ends_with("clientsecret") || n.ends_with("secretvalue"))
        && !n.ends_with("passwordpassword")
}

/// Whether a literal is a placeholder rather than a real value.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.chars().count() < 4 {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let wrapped = |open: char, close: char| v.starts_with(open) && v.ends_with(close);
    if wrapped('<', '>') || wrapped('{', '}') || wrapped('[', ']') || wrapped('%', '%') {
        return true;
    }
    if v.starts_with("$(") || v.starts_with("${") || v.starts_with("#{") || v.starts_with("__") {
        return true;
    }
    if lower.starts_with("@microsoft.keyvault(") {
        return true;
    }
    const WORDS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "replaceme",
        "replace_me",
        "replace-me",
        "placeholder",
        "your_password",
        "yourpassword",
        "your-password",
        "todo",
        "tbd",
        "password",
        "secret",
        "null",
        "none",
        "example",
        "dummy",
        "redacted",
        "notused",
        "not-used",
        "n/a",
        "undefined",
        "string",
        "securestring",
        "value",
        "sample",
    ];
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    if lower.contains("<your") || lower.contains("your-") && lower.ends_with("-here") {
        return true;
    }
    if [
        "dummy",
        "placeholder",
        "changeme",
        "replace",
        "example",
        "sample",
        "fake",
        "notreal",
        "redacted",
        "xxxx",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return true;
    }
    // Tokens a pipeline substitutes (`GEN-PASSWORD`, `GET-PREREQ-CERT`, `REPLACE_ME`).
    let token = v.split(['-', '_']).count() > 1
        && v.split(['-', '_']).all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        && v.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    if token || lower.contains("gen-") || lower.starts_with("get-prereq-") {
        return true;
    }
    // Instructions rather than values: `yourstorageaccountkey`, `ENCODEDSECRETHERE`,
    // `see readme.md for details`, `Server={enter server}`.
    if lower.contains("your")
        || lower.ends_with("here")
        || lower.contains("{enter")
        || lower.contains("<enter")
    {
        return true;
    }
    if v.matches(' ').count() >= 3
        && v.split(' ')
            .filter(|w| w.chars().all(|c| c.is_alphabetic()))
            .count()
            >= 3
    {
        return true;
    }
    // A value that only names what belongs there: `clientsecret`, `secondary-key`.
    let plain = v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let word = v.trim_end_matches(|c: char| c.is_ascii_digit());
    let words = v.split(['-', '_']).filter(|w| !w.is_empty()).count();
    if plain && words <= 2 && is_secret_property(word) && !meets_azure_complexity(v) {
        return true;
    }
    // `xxxxxxxx`, `********`, `00000000`.
    let mut chars = v.chars();
    let first = chars.next().unwrap_or('x');
    if chars.all(|c| c == first) {
        return true;
    }
    false
}

/// Azure's rule for VM and SQL passwords: at least 12 characters from at least three of
/// lower case, upper case, digits and symbols. A value that passes it deploys, whatever it
/// reads like (`myPassword12` from the Microsoft Learn quickstarts).
fn meets_azure_complexity(v: &str) -> bool {
    let classes = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
        v.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    v.chars().count() >= 12 && classes.iter().filter(|&&c| c).count() >= 3
}

/// Key Vault references, pipeline variables and template expressions are not literals.
pub fn looks_like_reference(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("@Microsoft.KeyVault(")
        // Logic Apps workflow expressions: `@parameters('x')`, `@{body('y')}`.
        || t.starts_with("@{")
        || t.starts_with('@') && t[1..].split_once('(').is_some_and(|(f, _)| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric()))
        // DSC extension settings point into protectedSettings this way.
        || t.get(..19).is_some_and(|p| p.eq_ignore_ascii_case("privatesettingsref:"))
        || t.starts_with("$(")
        || t.starts_with("${")
        || t.starts_with("#{")
        || t.starts_with('[') && t.ends_with(']')
}

/// A well-known credential format found in a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternHit {
    pub name: &'static str,
    pub start: usize,
    pub end: usize,
}

struct Patterns {
    set: RegexSet,
    each: Vec<(&'static str, Regex)>,
}

const PATTERNS: &[(&str, &str)] = &[
    (
        "Entra ID client secret",
        r"(?:^|[\\'\x22`\s>=:(,)])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.\-]{31,34})(?:$|[\\'\x22`\s<),])",
    ),
    ("storage account key", r"(?i)AccountKey=([a-z0-9+/]{86}==)"),
    (
        "identifiable Azure key",
        r"([A-Za-z0-9+/]{76}(?:\+ASt|ACDb)[A-Za-z0-9+/]{5}[AQgw]==)",
    ),
    (
        "Service Bus / Event Hubs key",
        r"(?i)SharedAccessKey=([a-z0-9+/]{42,43}=)",
    ),
    (
        "container registry key",
        r"([A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})",
    ),
    (
        "SAS token",
        r"(?i)(?:^|[?&;])sig=([0-9a-z/+%]{43,129}(?:=|%3d))",
    ),
    (
        "JSON web token",
        r"\b(ey[a-zA-Z0-9_\-]{17,}\.ey[a-zA-Z0-9_\-]{17,}\.[a-zA-Z0-9_\-]{10,}={0,2})",
    ),
    (
        "Azure DevOps personal access token",
        r"\b([A-Za-z0-9]{52}JQQJ99[A-Za-z0-9][A-L][A-Za-z0-9]{12}AAAAAZDO[A-Za-z0-9]{4})\b",
    ),
    (
        "GitHub token",
        r"\b((?:ghp|gho|ghu|ghs|ghr)_[0-9a-zA-Z]{36})\b",
    ),
    (
        "GitHub fine-grained token",
        r"\b(github_pat_[0-9a-zA-Z_]{82})\b",
    ),
    (
        "private key",
        r"(-----BEGIN[ A-Z0-9_\-]{0,100}PRIVATE KEY(?: BLOCK)?-----)",
    ),
    (
        "URL with credentials",
        r"(?i)\b(?:ftps?|https?)://[^:@/\s'\x22]+:([^:@?/\s'\x22\[\]$]{3,})@",
    ),
];

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        set: RegexSet::new(PATTERNS.iter().map(|(_, re)| *re)).expect("valid patterns"),
        each: PATTERNS
            .iter()
            .map(|(name, re)| (*name, Regex::new(re).expect("valid pattern")))
            .collect(),
    })
}

/// A literal every match of a pattern contains (compared ignoring ASCII case, so the set of
/// texts admitted only grows): at least one per entry of [`PATTERNS`].
const REQUIRED: &[&str] = &[
    "Q~",               // Entra ID client secret
    "AccountKey=",      // storage account key
    "+ASt",             // identifiable Azure key
    "ACDb",             // identifiable Azure key
    "SharedAccessKey=", // Service Bus / Event Hubs key
    "+ACR",             // container registry key
    "sig=",             // SAS token
    ".ey",              // JSON web token
    "JQQJ99",           // Azure DevOps personal access token
    "ghp_",             // GitHub token
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_", // GitHub fine-grained token
    "-----BEGIN",  // private key
];

/// Whether `text` can match any pattern: one of [`REQUIRED`], or `://` and `@` for URLs with
/// credentials. Most strings have none, and this is far cheaper than the pattern set.
fn may_match(text: &str) -> bool {
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let ac = AC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(REQUIRED)
            .expect("valid literals")
    });
    ac.is_match(text)
        || (memchr::memchr(b'@', text.as_bytes()).is_some()
            && memchr::memmem::find(text.as_bytes(), b"://").is_some())
}

/// Well-known credential formats in `text` (the secret part of each match).
pub fn scan(text: &str) -> Vec<PatternHit> {
    // Cheap exits: every pattern needs at least 20 characters and most strings are short;
    // every pattern needs one of a few literals.
    if text.len() < 20 || !may_match(text) {
        return Vec::new();
    }
    let p = patterns();
    let matched = p.set.matches(text);
    if !matched.matched_any() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for i in matched.iter() {
        let (name, re) = &p.each[i];
        for caps in re.captures_iter(text) {
            if let Some(m) = caps.get(1) {
                if name == &"URL with credentials" && is_placeholder(m.as_str()) {
                    continue;
                }
                hits.push(PatternHit {
                    name,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }
    hits.sort_by_key(|h| (h.start, h.end));
    hits
}

/// Connection-string keys whose value is a credential.
pub fn connection_string_secret(text: &str) -> Option<(usize, usize)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(?:^|;)\s*(?:AccountKey|Password|Pwd|SharedAccessKey|AppKey|SharedAccessSignature)\s*=\s*([^;]+)").unwrap()
    });
    re.captures_iter(text).find_map(|c| {
        let m = c.get(1)?;
        (!is_placeholder(m.as_str())).then_some((m.start(), m.end()))
    })
}

/// A masked rendering of a secret: never more than two leading characters.
pub fn mask(secret: &str) -> String {
    let count = secret.chars().count();
    let shown: String = if count >= 12 {
        secret.chars().take(2).collect()
    } else {
        String::new()
    };
    format!("{shown}{}", "*".repeat(8))
}

/// Overwrite the secret ranges of `text` with `*`, keeping byte offsets and line breaks, so
/// spans stay valid for renderers that print source lines.
pub fn mask_ranges(text: &str, ranges: &[(usize, usize)]) -> String {
    if ranges.is_empty() {
        return text.to_owned();
    }
    let mut bytes = text.as_bytes().to_vec();
    for &(start, end) in ranges {
        let (start, end) = (start.min(bytes.len()), end.min(bytes.len()));
        let keep = if end - start >= 12 { 2 } else { 0 };
        let mut kept_chars = 0;
        let mut i = start;
        while i < end {
            let ch_len = utf8_len(bytes[i]);
            if kept_chars < keep {
                kept_chars += 1;
                i += ch_len;
                continue;
            }
            for b in bytes.iter_mut().skip(i).take(ch_len.min(end - i)) {
                if *b != b'\n' && *b != b'\r' {
                    *b = b'*';
                }
            }
            i += ch_len;
        }
    }
    // Multi-byte characters overwritten whole stay valid UTF-8; a range that ends inside
    // one (it never should) is repaired lossily rather than panicking.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_parameter_names() {
        for name in [
            "adminPassword",
            "sqlAdministratorLoginPassword",
            "clientSecret",
            "storageAccountKey",
            "vmPwd",
            "adminPasswordOrKey",
        ] {
            assert!(is_secret_parameter_name(name), "should be secret: {name}");
        }
        for name in [
            "passwordLength",
            "keyVaultName",
            "secretName",
            "secretVersion",
            "keyVaultSecretUri",
            "authenticationType",
            "enablePasswordReset",
            "secretsPermissions",
            "location",
        ] {
            assert!(
                !is_secret_parameter_name(name),
                "should not be secret: {name}"
            );
        }
    }

    #[test]
    fn secret_properties() {
        for key in [
            "adminPassword",
            "administrator_login_password",
            "client_secret",
            "sasToken",
            "AccountKey",
            "registryPassword",
        ] {
            assert!(is_secret_property(key), "{key}");
        }
        for key in [
            "disablePasswordAuthentication",
            "passwordLength",
            "clientSecretSettingName",
            "secretName",
            "keyName",
        ] {
            assert!(!is_secret_property(key), "{key}");
        }
    }

    #[test]
    fn placeholders_are_not_secrets() {
        for v in [
            "",
            "  ",
            "<password>",
            "{{secret}}",
            "changeme",
            "xxxxxxxx",
            "$(SECRET)",
            "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        assert!(!is_placeholder("P@ssw0rd1234!"));
        // Names of the slot are placeholders; a deployable password is not.
        assert!(is_placeholder("clientsecret"));
        assert!(is_placeholder("secondary-key"));
        assert!(!is_placeholder("myPassword12"));
    }

    #[test]
    fn prefilter_admits_every_pattern() {
        let b = |n: usize| "Ab1/".repeat(n / 4 + 1)[..n].to_owned();
        let a = |n: usize| "aB3x".repeat(n / 4 + 1)[..n].to_owned();
        let samples = [
            " abc8Q~abcdefghijklmnopqrstuvwxyz0123456 ".to_owned(),
            format!("AccountKey={}==", b(86)),
            format!("{}+ASt{}A==", b(76), b(5)),
            format!("SharedAccessKey={}=", b(43)),
            format!("{}+ACRA{}", b(42), b(5)),
            format!("https://x.blob.core.windows.net/c?sv=1&sig={}=", b(43)),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijkl"
                .to_owned(),
            format!("{}JQQJ99aA{}AAAAAZDO{}", a(52), a(12), a(4)),
            format!("ghp_{}", a(36)),
            format!("github_pat_{}", a(82)),
            "-----BEGIN RSA PRIVATE KEY-----".to_owned(),
            "https://user:hunter2pass@example.com".to_owned(),
        ];
        let p = patterns();
        let mut covered = vec![false; PATTERNS.len()];
        for s in &samples {
            let m = p.set.matches(s);
            assert!(m.matched_any(), "sample matches nothing: {s}");
            assert!(may_match(s), "prefilter rejects {s}");
            for i in m.iter() {
                covered[i] = true;
            }
        }
        assert!(
            covered.iter().all(|c| *c),
            "a pattern has no sample: {covered:?}"
        );
    }

    #[test]
    fn well_known_formats() {
        let key = format!(
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey={}==;EndpointSuffix=core.windows.net",
            "A".repeat(40) + &"b".repeat(46)
        );
        let hits = scan(&key);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].name, "storage account key");
        assert_eq!(
            &key[hits[0].start..hits[0].end],
            &(("A".repeat(40) + &"b".repeat(46)) + "==")
        );
        let secret = "client secret: abc8Q~abcdefghijklmnopqrstuvwxyz0123456 end";
        assert_eq!(scan(secret)[0].name, "Entra ID client secret");
        assert_eq!(
            scan("ghp_0123456789abcdefghijklmnopqrstuvwxyz")[0].name,
            "GitHub token"
        );
        assert!(scan("https://user:<password>@example.com").is_empty());
        assert_eq!(
            scan("https://user:hunter2pass@example.com")[0].name,
            "URL with credentials"
        );
        assert!(scan("just an ordinary sentence with nothing secret in it").is_empty());
        assert_eq!(
            connection_string_secret("Server=x;User ID=u;Password=S3cret!pw;"),
            Some((28, 37))
        );
        assert_eq!(
            connection_string_secret("Server=x;Password=<password>"),
            None
        );
    }

    #[test]
    fn masking_never_shows_more_than_two_characters() {
        assert_eq!(mask("short"), "********");
        assert_eq!(mask("averylongsecretvalue"), "av********");
        let text = "pw = \"S3cretPassw0rd!\"\nnext";
        let masked = mask_ranges(text, &[(6, 21)]);
        assert_eq!(masked, "pw = \"S3*************\"\nnext");
        assert_eq!(masked.len(), text.len());
        let uni = "é-secret-é-long";
        assert_eq!(mask_ranges(uni, &[(0, uni.len())]).len(), uni.len());
    }
}
