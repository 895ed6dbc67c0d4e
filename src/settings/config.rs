//! The `.idlint.yaml` file: its serde types, validation with locations, and its JSON schema.
//!
//! Unknown keys, unknown rule names, options given to a rule they do not apply to, and bad
//! values (a severity, a glob, a regex) are errors that name the line and column.

use crate::diagnostic::Severity;
use crate::rules::options::OPTIONS;
use crate::rules::registry::{self, RULES};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// The configuration file. Every key is optional.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "idlint configuration (.idlint.yaml)")]
pub struct Config {
    /// Exit with 1 when a finding at or above this severity is reported (`--fail-on` wins).
    #[serde(default)]
    #[schemars(schema_with = "severity_schema")]
    pub fail_on: Option<Severity>,
    /// Path globs, relative to the folder of this file, whose findings are not reported. The
    /// files are still read, so what they declare still counts for other files.
    #[serde(default, deserialize_with = "globs")]
    pub exclude: Vec<String>,
    /// Per-rule settings, keyed by rule name or code.
    #[serde(default)]
    pub rules: RulesConfig,
    /// Settings for some paths only; later entries win.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// Rule settings for the files matching `files`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Path globs, relative to the folder of the configuration file.
    #[serde(deserialize_with = "globs")]
    pub files: Vec<String>,
    /// `enabled` and `severity` per rule (options apply to the whole run and are not
    /// accepted here).
    #[serde(default)]
    #[schemars(schema_with = "override_rules_schema")]
    pub rules: OverrideRules,
}

/// Settings of one rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleConfig {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub extra_privileged_roles: Vec<String>,
    pub allowed_principals: Vec<String>,
    pub exempt: Vec<String>,
    pub allow: Vec<String>,
}

/// `rules:` — rule name (canonical) to its settings.
#[derive(Clone, Debug, Default)]
pub struct RulesConfig(pub BTreeMap<&'static str, RuleConfig>);

/// `overrides[].rules:` — like [`RulesConfig`] without options.
#[derive(Clone, Debug, Default)]
pub struct OverrideRules(pub BTreeMap<&'static str, RuleConfig>);

fn severity_names() -> Vec<&'static str> {
    [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ]
    .iter()
    .map(|s| s.as_str())
    .collect()
}

fn severity_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": severity_names() })
}

fn option_doc(option: &str) -> &'static str {
    match option {
        "extra-privileged-roles" => {
            "More roles (names or role definition GUIDs) treated as privileged at broad scope."
        }
        "allowed-principals" => {
            "Principals allowed broad roles: identity names or symbols, or principal object ids."
        }
        "exempt" => "Name globs of user-assigned identities that may stay unattached.",
        "allow" => "Regexes: a literal matching one is not reported as a secret.",
        _ => "",
    }
}

fn rule_schema(rule: &str, with_options: bool) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    props.insert(
        "enabled".into(),
        serde_json::json!({ "type": "boolean", "description": "Run this rule (default: the rule's own default)." }),
    );
    props.insert(
        "severity".into(),
        serde_json::json!({ "type": "string", "enum": severity_names(), "description": "Report every finding of this rule at this severity." }),
    );
    if with_options {
        for (option, rules) in OPTIONS {
            if rules.contains(&rule) {
                props.insert(
                    (*option).into(),
                    serde_json::json!({
                        "type": "array",
                        "items": { "type": "string" },
                        "description": option_doc(option),
                    }),
                );
            }
        }
    }
    serde_json::json!({ "type": "object", "additionalProperties": false, "properties": props })
}

fn rules_schema_value(with_options: bool) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    for rule in RULES {
        let m = rule.meta();
        let mut s = rule_schema(m.name, with_options);
        s["description"] =
            serde_json::Value::String(format!("{} ({}): {}.", m.name, m.code, m.summary()));
        props.insert(m.name.into(), s);
    }
    serde_json::json!({ "type": "object", "additionalProperties": false, "properties": props })
}

impl JsonSchema for RulesConfig {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RulesConfig".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(rules_schema_value(true)).expect("an object schema")
    }
}

fn override_rules_schema(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(rules_schema_value(false)).expect("an object schema")
}

/// The JSON schema of the configuration file, as committed in `idlint.schema.json`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

/// A rule name or code, resolved to the canonical name while parsing (so an unknown name is
/// reported at its own line).
struct RuleKey(&'static str);

impl<'de> Deserialize<'de> for RuleKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match registry::find(&name) {
            Some(rule) => Ok(RuleKey(rule.meta().name)),
            None => Err(de::Error::custom(format!(
                "unknown rule '{name}' (see `idlint rules`)"
            ))),
        }
    }
}

struct RulesVisitor {
    with_options: bool,
}

impl<'de> Visitor<'de> for RulesVisitor {
    type Value = BTreeMap<&'static str, RuleConfig>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map from rule names to rule settings")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(RuleKey(rule)) = map.next_key()? {
            let cfg = map.next_value_seed(RuleSeed {
                rule,
                with_options: self.with_options,
            })?;
            if out.insert(rule, cfg).is_some() {
                return Err(de::Error::custom(format!(
                    "rule '{rule}' is configured twice"
                )));
            }
        }
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for RulesConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RulesVisitor { with_options: true })
            .map(RulesConfig)
    }
}

impl<'de> Deserialize<'de> for OverrideRules {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RulesVisitor {
            with_options: false,
        })
        .map(OverrideRules)
    }
}

/// Settings of one rule, checked against what that rule accepts key by key.
struct RuleSeed {
    rule: &'static str,
    with_options: bool,
}

impl<'de> DeserializeSeed<'de> for RuleSeed {
    type Value = RuleConfig;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RuleConfig, D::Error> {
        d.deserialize_any(self)
    }
}

/// A list of strings each checked by `check` (a glob, a regex) as it is read.
struct Checked<F>(F);

impl<'de, F: Fn(&str) -> Result<(), String>> DeserializeSeed<'de> for Checked<F> {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        let items = Vec::<String>::deserialize(d)?;
        for item in &items {
            (self.0)(item).map_err(de::Error::custom)?;
        }
        Ok(items)
    }
}

fn no_check(_: &str) -> Result<(), String> {
    Ok(())
}

fn check_glob(g: &str) -> Result<(), String> {
    globset::Glob::new(g)
        .map(|_| ())
        .map_err(|e| format!("invalid glob '{g}': {e}"))
}

fn check_regex(r: &str) -> Result<(), String> {
    regex::Regex::new(r).map(|_| ()).map_err(|e| {
        let e = e.to_string();
        format!(
            "invalid regex '{r}': {}",
            e.split_whitespace().collect::<Vec<_>>().join(" ")
        )
    })
}

impl<'de> Visitor<'de> for RuleSeed {
    type Value = RuleConfig;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the settings of rule '{}'", self.rule)
    }
    fn visit_unit<E: de::Error>(self) -> Result<RuleConfig, E> {
        Ok(RuleConfig::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleConfig, A::Error> {
        let mut cfg = RuleConfig::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "enabled" => cfg.enabled = Some(map.next_value()?),
                "severity" => cfg.severity = Some(map.next_value()?),
                option => {
                    let Some((_, rules)) = OPTIONS.iter().find(|(o, _)| *o == option) else {
                        return Err(de::Error::custom(format!(
                            "unknown key '{option}' for rule '{}' (expected enabled, severity{})",
                            self.rule,
                            OPTIONS
                                .iter()
                                .filter(|(_, r)| r.contains(&self.rule) && self.with_options)
                                .map(|(o, _)| format!(", {o}"))
                                .collect::<String>()
                        )));
                    };
                    if !self.with_options {
                        return Err(de::Error::custom(format!(
                            "option '{option}' cannot be set in overrides (only enabled and severity)"
                        )));
                    }
                    if !rules.contains(&self.rule) {
                        return Err(de::Error::custom(format!(
                            "option '{option}' does not apply to rule '{}' (it applies to {})",
                            self.rule,
                            rules.join(", ")
                        )));
                    }
                    match option {
                        "extra-privileged-roles" => {
                            cfg.extra_privileged_roles = map.next_value_seed(Checked(no_check))?
                        }
                        "allowed-principals" => {
                            cfg.allowed_principals = map.next_value_seed(Checked(no_check))?
                        }
                        "exempt" => cfg.exempt = map.next_value_seed(Checked(check_glob))?,
                        "allow" => cfg.allow = map.next_value_seed(Checked(check_regex))?,
                        _ => unreachable!("every OPTIONS key is handled"),
                    }
                }
            }
        }
        Ok(cfg)
    }
}

/// Glob lists, each glob checked where it is written.
fn globs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Checked(check_glob).deserialize(d)
}
