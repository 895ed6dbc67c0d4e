#![no_main]
//! Scripts in GitHub Actions and Azure Pipelines YAML: extraction, then parsing each script.
use idlint::parse::script::workflow::{YamlKind, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for kind in [YamlKind::GitHubActions, YamlKind::AzurePipelines] {
        if let Ok(scripts) = extract(text, kind) {
            for s in &scripts {
                let _ = s.parse();
            }
        }
    }
});
