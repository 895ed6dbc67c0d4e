#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds from the project's examples (rules/*/bad|good,
# fixtures/, tests/fuzz_regressions/). The corpus is not committed; run this before fuzzing.
# Extra directories of examples may be given as arguments (absolute paths).
set -euo pipefail
cd "$(dirname "$0")"
root=..
extra=("$@")
src() { find "$root/rules" "$root/fixtures" "$root/tests/fuzz_regressions" ${extra[@]+"${extra[@]}"} -type f "$@" 2>/dev/null || true; }
seed() { # seed TARGET FILES...
    local t=$1; shift
    mkdir -p "corpus/$t"
    for f in "$@"; do cp "$f" "corpus/$t/$(echo "$f" | md5sum | cut -c1-16)"; done
}
mapfile -t json < <(src -name '*.json')
mapfile -t bicep < <(src \( -name '*.bicep' -o -name '*.bicepparam' \))
mapfile -t tf < <(src \( -name '*.tf' -o -name '*.tfvars' \))
mapfile -t sh < <(src \( -name '*.sh' -o -name '*.bash' \))
mapfile -t ps < <(src -name '*.ps1')
mapfile -t yml < <(src \( -name '*.yml' -o -name '*.yaml' \))
seed arm_json "${json[@]}"
seed bicep "${bicep[@]}"
seed terraform "${tf[@]}"
seed bash "${sh[@]}"
seed powershell "${ps[@]}"
seed workflow "${yml[@]}"
# ARM expressions: the inside of every "[...]" string in the JSON examples.
mkdir -p corpus/arm_expr
i=0
grep -ohE '"\[[^"]+\]"' "${json[@]}" | sort -u | while IFS= read -r e; do
    e=${e#\"[}; printf '%s' "${e%]\"}" > "corpus/arm_expr/e$i"; i=$((i + 1))
done
# Whole pipeline: the first byte picks the file name (see fuzz_targets/pipeline.rs).
mkdir -p corpus/pipeline
pick() { # pick INDEX FILES...
    local n=$1; shift
    for f in "$@"; do
        { printf "\\x$(printf %02x "$n")"; cat "$f"; } > "corpus/pipeline/$(echo "$f" | md5sum | cut -c1-16)"
    done
}
pick 0 "${json[@]}"
pick 2 "${bicep[@]}"
pick 4 "${tf[@]}"
[ ${#sh[@]} -eq 0 ] || pick 6 "${sh[@]}"
[ ${#ps[@]} -eq 0 ] || pick 7 "${ps[@]}"
[ ${#yml[@]} -eq 0 ] || pick 8 "${yml[@]}"
for t in corpus/*; do echo "$t: $(ls "$t" | wc -l) seeds"; done
