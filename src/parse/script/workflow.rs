//! Scripts embedded in CI YAML.
