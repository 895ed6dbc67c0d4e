//! Scripts embedded in CI YAML: GitHub Actions workflows and Azure Pipelines.
//!
//! `saphyr-parser` supplies scalar values with source positions (serde_yaml_ng
//! keeps none). The value of a block or folded scalar is not a contiguous slice
//! of the file, so each scalar is re-scanned here to build a byte-exact
//! [`OffsetMap`]; the re-scan is checked against the parser's value and falls
//! back to a coarse map (every offset → scalar start) if they ever disagree.

use std::path::Path;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::{Placeholder, Script, Shell, Span, SyntaxError, VarOrigin, bash, powershell};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlKind {
    GitHubActions,
    AzurePipelines,
}

/// Maps byte offsets in an extracted script to byte offsets in the YAML file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `starts[i]..ends[i]` is the YAML source of script byte `i` (an escape such
    /// as `''` or `\n` spans several YAML bytes); `starts` has one extra entry for the end.
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// False when the re-scan disagreed with the parser and the map is coarse.
    pub exact: bool,
}

impl OffsetMap {
    pub fn to_yaml(&self, script_offset: u32) -> u32 {
        let i = (script_offset as usize).min(self.starts.len().saturating_sub(1));
        self.starts.get(i).copied().unwrap_or(0)
    }

    /// Map a span; the end is mapped through the last byte so that a span ending
    /// at a folded line break does not stretch onto the next YAML line.
    pub fn map_span(&self, span: Span) -> Span {
        let start = self.to_yaml(span.start);
        let end = if span.end > span.start {
            let last = (span.end as usize - 1).min(self.ends.len().saturating_sub(1));
            self.ends.get(last).copied().unwrap_or(start)
        } else {
            start
        };
        Span {
            start,
            end: end.max(start),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EmbeddedScript {
    pub shell: Shell,
    /// The script as the CI system hands it to the shell (before expression substitution).
    pub text: String,
    pub map: OffsetMap,
    /// Environment variable names set by `env:` (and Azure Pipelines `variables:`)
    /// at step, job, stage and workflow level, with the span of each key.
    pub env: Vec<(String, Span)>,
    /// Where the script sits, e.g. `jobs.deploy.steps[2].run`.
    pub location: String,
    /// Span of the whole scalar in the YAML file.
    pub span: Span,
    /// CI expressions found in `text` (script-relative spans).
    pub expressions: Vec<Placeholder>,
}

impl EmbeddedScript {
    /// Parse the script; all spans in the result are YAML-file offsets and CI
    /// expressions appear as [`super::WordPart::Variable`] with a non-shell origin.
    pub fn parse(&self) -> Script {
        let substituted = substitute(&self.text, &self.expressions);
        let mut script = match self.shell {
            Shell::Bash => bash::parse_bash_with(&substituted, &self.expressions),
            Shell::PowerShell => powershell::parse_powershell_with(&substituted, &self.expressions),
        };
        script.map_spans(&|s| self.map.map_span(s));
        script
    }
}

pub fn detect_yaml_kind(path: &Path, text: &str) -> Option<YamlKind> {
    let p = path.to_string_lossy().replace('\\', "/");
    let ext_ok = p.ends_with(".yml") || p.ends_with(".yaml");
    if !ext_ok {
        return None;
    }
    let file = p.rsplit('/').next().unwrap_or("");
    if p.contains(".github/workflows/") || file == "action.yml" || file == "action.yaml" {
        return Some(YamlKind::GitHubActions);
    }
    let top_level = |key: &str| {
        text.lines()
            .any(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))
    };
    if top_level("on") && top_level("jobs") && text.contains("runs-on") {
        return Some(YamlKind::GitHubActions);
    }
    let has_steps_like = ["steps", "jobs", "stages"].iter().any(|k| top_level(k));
    let has_azp_marker = [
        "- task:",
        "- script:",
        "- bash:",
        "- pwsh:",
        "- powershell:",
        "pool:",
        "trigger:",
    ]
    .iter()
    .any(|m| text.contains(m));
    if file.starts_with("azure-pipelines") || (has_steps_like && has_azp_marker) {
        return Some(YamlKind::AzurePipelines);
    }
    None
}

pub fn extract(yaml_text: &str, kind: YamlKind) -> Result<Vec<EmbeddedScript>, SyntaxError> {
    if yaml_text.len() > super::MAX_SCRIPT_LEN {
        return Err(SyntaxError {
            span: Span::default(),
            message: "YAML file too large".into(),
        });
    }
    let docs = load(yaml_text)?;
    let mut out = Vec::new();
    let ctx = Ctx {
        src: yaml_text,
        kind,
    };
    for doc in &docs {
        match kind {
            YamlKind::GitHubActions => ctx.github(doc, &mut out),
            YamlKind::AzurePipelines => ctx.pipelines(doc, &mut out),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// A minimal positioned YAML tree.

#[derive(Debug)]
enum Node {
    Scalar(Scalar),
    Map(Vec<(Node, Node)>),
    Seq(Vec<Node>),
    Alias,
}

#[derive(Debug)]
struct Scalar {
    value: String,
    style: ScalarStyle,
    start: usize,
    end: usize,
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(k, Node::Scalar(s) if s.value == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn get_ignore_case(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(k, Node::Scalar(s) if s.value.eq_ignore_ascii_case(key)))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    fn str(&self) -> Option<&str> {
        self.scalar().map(|s| s.value.as_str())
    }
}

enum Frame {
    Map(Vec<(Node, Node)>, Option<Node>),
    Seq(Vec<Node>),
}

/// Build the tree from parser events with an explicit stack (no recursion on nesting).
fn load(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let byte_of = CharToByte::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut docs = Vec::new();
    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e| {
            let at = byte_of.get(e.marker().index());
            SyntaxError {
                span: Span::new(at, at),
                message: e.info().to_owned(),
            }
        })?;
        let node = match event {
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Vec::new(), None));
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new()));
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop() {
                Some(Frame::Map(entries, _)) => Node::Map(entries),
                Some(Frame::Seq(items)) => Node::Seq(items),
                None => continue,
            },
            Event::Scalar(value, style, _, _) => Node::Scalar(Scalar {
                value: value.into_owned(),
                style,
                start: byte_of.get(span.start.index()),
                end: byte_of.get(span.end.index()),
            }),
            Event::Alias(_) => Node::Alias,
            _ => continue,
        };
        match stack.last_mut() {
            Some(Frame::Seq(items)) => items.push(node),
            Some(Frame::Map(entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => *pending = Some(node),
            },
            None => docs.push(node),
        }
    }
    Ok(docs)
}

/// saphyr reports character indices; spans are byte offsets.
struct CharToByte {
    table: Option<Vec<u32>>,
    len: usize,
}

impl CharToByte {
    fn new(text: &str) -> Self {
        let table =
            (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b as u32).collect());
        CharToByte {
            table,
            len: text.len(),
        }
    }

    fn get(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

// ---------------------------------------------------------------------------
// Extraction.

struct Ctx<'a> {
    src: &'a str,
    kind: YamlKind,
}

fn env_names(node: Option<&Node>, out: &mut Vec<(String, Span)>) {
    if let Some(Node::Map(entries)) = node {
        for (k, _) in entries {
            if let Some(s) = k.scalar() {
                out.push((s.value.clone(), Span::new(s.start, s.end)));
            }
        }
    }
}

/// Azure Pipelines `variables:` is either a name→value map or a list of `- name: x` items.
fn pipeline_variables(node: Option<&Node>, out: &mut Vec<(String, Span)>) {
    match node {
        Some(Node::Seq(items)) => {
            for item in items {
                if let Some(Node::Scalar(s)) = item.get("name") {
                    out.push((s.value.clone(), Span::new(s.start, s.end)));
                }
            }
        }
        other => env_names(other, out),
    }
}

fn shell_from_name(name: &str) -> Option<Shell> {
    let prog = name.split_whitespace().next()?;
    match prog.to_ascii_lowercase().as_str() {
        "pwsh" | "powershell" | "pscore" | "ps" => Some(Shell::PowerShell),
        "bash" | "sh" | "zsh" => Some(Shell::Bash),
        _ => None,
    }
}

impl Ctx<'_> {
    fn github(&self, doc: &Node, out: &mut Vec<EmbeddedScript>) {
        let default_shell = |n: &Node| {
            n.get("defaults")
                .and_then(|d| d.get("run"))
                .and_then(|r| r.get("shell"))
                .and_then(Node::str)
                .map(str::to_string)
        };
        let wf_shell = default_shell(doc);
        let mut wf_env = Vec::new();
        env_names(doc.get("env"), &mut wf_env);
        // A composite action (`action.yml`) is a single job-like `runs:` mapping.
        let composite = doc.get("runs").filter(|r| r.get("steps").is_some());
        let jobs: Vec<(&str, &Node)> = match (doc.get("jobs"), composite) {
            (Some(Node::Map(jobs)), _) => jobs
                .iter()
                .map(|(k, v)| (k.str().unwrap_or("?"), v))
                .collect(),
            (_, Some(runs)) => vec![("<composite>", runs)],
            _ => return,
        };
        for (job_name, job) in jobs {
            let job_shell = default_shell(job).or_else(|| wf_shell.clone());
            let mut job_env = wf_env.clone();
            env_names(job.get("env"), &mut job_env);
            let Some(Node::Seq(steps)) = job.get("steps") else {
                continue;
            };
            for (i, step) in steps.iter().enumerate() {
                let mut env = job_env.clone();
                env_names(step.get("env"), &mut env);
                let loc = format!("jobs.{job_name}.steps[{i}]");
                if let Some(Node::Scalar(run)) = step.get("run") {
                    let shell_name = step
                        .get("shell")
                        .and_then(Node::str)
                        .map(str::to_string)
                        .or_else(|| job_shell.clone())
                        .unwrap_or_else(|| "bash".into());
                    // `python`, `cmd` and custom interpreters are not shell scripts we model.
                    if let Some(shell) = shell_from_name(&shell_name) {
                        out.push(self.script(run, shell, env.clone(), format!("{loc}.run")));
                    }
                }
                let uses = step.get("uses").and_then(Node::str).unwrap_or("");
                let action = uses.split('@').next().unwrap_or("").to_ascii_lowercase();
                let shell = match action.as_str() {
                    "azure/cli" => Some(Shell::Bash),
                    "azure/powershell" => Some(Shell::PowerShell),
                    _ => None,
                };
                if let (Some(shell), Some(Node::Scalar(s))) =
                    (shell, step.get("with").and_then(|w| w.get("inlineScript")))
                {
                    out.push(self.script(s, shell, env, format!("{loc}.with.inlineScript")));
                }
            }
        }
    }

    fn pipelines(&self, doc: &Node, out: &mut Vec<EmbeddedScript>) {
        // Steps can sit under steps/jobs/stages/deployment strategies/templates;
        // walk the whole document and recognise step mappings by their keys.
        type Pending<'n> = (&'n Node, Vec<(String, Span)>, String);
        let mut stack: Vec<Pending> = vec![(doc, Vec::new(), String::new())];
        while let Some((node, inherited, path)) = stack.pop() {
            match node {
                Node::Map(entries) => {
                    let mut env = inherited;
                    pipeline_variables(node.get("variables"), &mut env);
                    if self.pipeline_step(node, &env, &path, out) {
                        continue;
                    }
                    for (k, v) in entries.iter().rev() {
                        let key = k.str().unwrap_or("?");
                        if key == "variables" {
                            continue;
                        }
                        let p = if path.is_empty() {
                            key.to_string()
                        } else {
                            format!("{path}.{key}")
                        };
                        stack.push((v, env.clone(), p));
                    }
                }
                Node::Seq(items) => {
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push((item, inherited.clone(), format!("{path}[{i}]")));
                    }
                }
                _ => {}
            }
        }
    }

    /// Returns true if `node` is a step (so the walk need not descend).
    fn pipeline_step(
        &self,
        node: &Node,
        inherited: &[(String, Span)],
        path: &str,
        out: &mut Vec<EmbeddedScript>,
    ) -> bool {
        let mut env = inherited.to_vec();
        env_names(node.get("env"), &mut env);
        for (key, shell) in [
            ("script", Shell::Bash),
            ("bash", Shell::Bash),
            ("pwsh", Shell::PowerShell),
            ("powershell", Shell::PowerShell),
        ] {
            if let Some(Node::Scalar(s)) = node.get(key) {
                out.push(self.script(s, shell, env, format!("{path}.{key}")));
                return true;
            }
        }
        let Some(task) = node.get("task").and_then(Node::str) else {
            return false;
        };
        let inputs = node.get("inputs");
        let input = |name: &str| inputs.and_then(|i| i.get_ignore_case(name));
        let name = task
            .split('@')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let (shell, key) = match name.as_str() {
            "azurecli" => {
                let st = input("scriptType").and_then(Node::str).unwrap_or("bash");
                match shell_from_name(st) {
                    Some(shell) => (shell, "inlineScript"),
                    None => return true,
                }
            }
            "azurepowershell" => (Shell::PowerShell, "Inline"),
            "powershell" => (Shell::PowerShell, "script"),
            "bash" | "shellscript" => (Shell::Bash, "script"),
            _ => return true,
        };
        if let Some(Node::Scalar(s)) = input(key) {
            out.push(self.script(s, shell, env, format!("{path}.inputs.{key}")));
        }
        true
    }

    fn script(
        &self,
        s: &Scalar,
        shell: Shell,
        env: Vec<(String, Span)>,
        location: String,
    ) -> EmbeddedScript {
        let (text, map) = scalar_map(self.src, s);
        let expressions = find_expressions(&text, self.kind);
        EmbeddedScript {
            shell,
            text,
            map,
            env,
            location,
            span: Span::new(s.start, s.end),
            expressions,
        }
    }
}

// ---------------------------------------------------------------------------
// CI expressions.

fn find_expressions(text: &str, kind: YamlKind) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let found = if text[i..].starts_with("${{") {
            text[i..]
                .find("}}")
                .map(|e| (e + 2, &text[i + 3..i + e], VarOrigin::TemplateExpression))
        } else if kind == YamlKind::AzurePipelines && b[i + 1] == b'[' {
            text[i..]
                .find(']')
                .map(|e| (e + 1, &text[i + 2..i + e], VarOrigin::RuntimeExpression))
        } else if kind == YamlKind::AzurePipelines && b[i + 1] == b'(' {
            macro_len(&text[i..]).map(|e| (e, &text[i + 2..i + e - 1], VarOrigin::PipelineMacro))
        } else {
            None
        };
        match found {
            Some((len, inner, origin)) if len >= 4 => {
                out.push(Placeholder {
                    span: Span::new(i, i + len),
                    expr: inner.trim().to_string(),
                    origin,
                });
                i += len;
            }
            _ => i += 1,
        }
    }
    out
}

/// Azure Pipelines leaves an undefined `$(name)` untouched, so `$(date)` in a
/// bash step is still a command substitution. Without the variable list we
/// take `$(Name.With.Dots)`, `$(UPPER_or_Mixed)` and `$(a_b)` as macros and
/// plain lower-case words as commands.
fn macro_len(s: &str) -> Option<usize> {
    let close = s.find(')')?;
    let name = &s[2..close];
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    let looks_like_var = name.contains(['.', '_']) || name.chars().any(|c| c.is_ascii_uppercase());
    (valid && looks_like_var).then_some(close + 1)
}

/// Replace each expression by `${___…}` of the same length: a variable
/// reference in both shells, so offsets stay valid.
fn substitute(text: &str, expressions: &[Placeholder]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in expressions {
        let r = e.span.range();
        if r.start < pos || r.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str("${");
        out.push_str(&"_".repeat(r.len().saturating_sub(3)));
        out.push('}');
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

// ---------------------------------------------------------------------------
// Scalar re-scanning.

fn scalar_map(src: &str, s: &Scalar) -> (String, OffsetMap) {
    let rescanned = match s.style {
        ScalarStyle::Literal | ScalarStyle::Folded => block_scalar(src, s),
        ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            flow_scalar(src, s)
        }
    };
    match rescanned {
        Some(out) if out.text == s.value => {
            let Out {
                text,
                mut starts,
                ends,
            } = out;
            starts.push(ends.last().copied().unwrap_or(s.start as u32));
            let exact = true;
            (
                text,
                OffsetMap {
                    starts,
                    ends,
                    exact,
                },
            )
        }
        _ => {
            let starts = vec![s.start as u32; s.value.len() + 1];
            let ends = vec![s.end as u32; s.value.len()];
            let exact = false;
            (
                s.value.clone(),
                OffsetMap {
                    starts,
                    ends,
                    exact,
                },
            )
        }
    }
}

#[derive(Default)]
struct Out {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Out {
    fn push_src(&mut self, src: &str, at: usize) {
        self.text.push_str(src);
        self.starts.extend((at..at + src.len()).map(|o| o as u32));
        self.ends
            .extend((at + 1..=at + src.len()).map(|o| o as u32));
    }

    /// A character whose source is `start..end` but not the character itself:
    /// a folded line break, an escape sequence.
    fn push_mapped(&mut self, c: char, start: usize, end: usize) {
        self.text.push(c);
        self.starts
            .extend(std::iter::repeat_n(start as u32, c.len_utf8()));
        self.ends
            .extend(std::iter::repeat_n(end as u32, c.len_utf8()));
    }
}

/// Lines as (start offset, text without the line break).
fn lines_from(src: &str, start: usize, end: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = start;
    let region = src.get(..end.min(src.len())).unwrap_or("");
    while pos <= region.len() {
        let line_end = region[pos..].find('\n').map_or(region.len(), |p| pos + p);
        let line = region[pos..line_end]
            .strip_suffix('\r')
            .unwrap_or(&region[pos..line_end]);
        out.push((pos, line));
        if line_end >= region.len() {
            break;
        }
        pos = line_end + 1;
    }
    out
}

fn block_scalar(src: &str, s: &Scalar) -> Option<Out> {
    // Find the header (`|`, `|-`, `>+2` …) on the nearest non-blank line before the content.
    let mut line_start = src.get(..s.start)?.rfind('\n').map_or(0, |p| p + 1);
    let header = loop {
        if line_start == 0 {
            return None;
        }
        let prev_start = src[..line_start - 1].rfind('\n').map_or(0, |p| p + 1);
        let line = &src[prev_start..line_start - 1];
        if !line.trim().is_empty() {
            break line;
        }
        line_start = prev_start;
    };
    let header = header.split(" #").next().unwrap_or(header).trim_end();
    let ind_pos = header.rfind(['|', '>'])?;
    let indicators = &header[ind_pos + 1..];
    let chomp = if indicators.contains('-') {
        '-'
    } else if indicators.contains('+') {
        '+'
    } else {
        ' '
    };
    let folded = s.style == ScalarStyle::Folded;
    let lines = lines_from(src, line_start, src.len());
    let explicit = indicators
        .chars()
        .find_map(|c| c.to_digit(10))
        .map(|d| d as usize);
    let indent = match explicit {
        // Relative to the parent's indentation, which is the header line's.
        Some(d) => header.len() - header.trim_start().len() + d,
        None => lines
            .iter()
            .find(|(_, l)| !l.trim().is_empty())
            .map(|(_, l)| l.len() - l.trim_start_matches(' ').len())?,
    };
    let mut content: Vec<(usize, &str)> = Vec::new();
    for (start, line) in lines {
        let lead = line.len() - line.trim_start_matches(' ').len();
        if line.trim().is_empty() {
            let keep = if lead > indent { &line[indent..] } else { "" };
            content.push((start + indent.min(lead), keep));
            continue;
        }
        if lead < indent {
            break;
        }
        content.push((start + indent, &line[indent..]));
    }
    // Trailing blank lines belong to chomping, not content.
    let mut trailing = 0;
    while content.len() > trailing && content[content.len() - 1 - trailing].1.is_empty() {
        trailing += 1;
    }
    let body = &content[..content.len() - trailing];
    let mut out = Out::default();
    let line_break_at = |start: usize, text: &str| start + text.len();
    for (i, (start, text)) in body.iter().enumerate() {
        out.push_src(text, *start);
        let Some((_, next)) = body.get(i + 1) else {
            break;
        };
        let brk = line_break_at(*start, text);
        if !folded {
            out.push_mapped('\n', brk, brk + 1);
            continue;
        }
        // Folding: a break between two non-indented text lines becomes a space,
        // unless empty lines follow it (then those lines supply the newlines).
        let more_indented = |t: &str| t.starts_with([' ', '\t']);
        if text.is_empty() || more_indented(text) || more_indented(next) {
            out.push_mapped('\n', brk, brk + 1);
        } else if next.is_empty() {
            // Dropped break: the following empty line contributes the newline.
        } else {
            out.push_mapped(' ', brk, brk + 1);
        }
    }
    if !body.is_empty() {
        let (last_start, last_text) = body[body.len() - 1];
        let brk = line_break_at(last_start, last_text);
        match chomp {
            '-' => {}
            '+' => {
                out.push_mapped('\n', brk, brk + 1);
                for (start, _) in &content[body.len()..] {
                    out.push_mapped('\n', *start, *start + 1);
                }
            }
            _ => out.push_mapped('\n', brk, brk + 1),
        }
    }
    Some(out)
}

fn flow_scalar(src: &str, s: &Scalar) -> Option<Out> {
    let (start, end) = match s.style {
        ScalarStyle::Plain => (s.start, s.end),
        _ => (s.start + 1, s.end.checked_sub(1)?),
    };
    // Reject spans that do not fall on character boundaries.
    src.get(start..end)?;
    let mut out = Out::default();
    let lines = lines_from(src, start, end);
    let n = lines.len();
    let mut pending_breaks = 0usize;
    let mut prev_break_at = start;
    let mut escaped_break = false;
    for (i, (lstart, line)) in lines.into_iter().enumerate() {
        let lead = if i == 0 {
            0
        } else {
            line.len() - line.trim_start_matches([' ', '\t']).len()
        };
        let mut text = &line[lead..];
        if i + 1 < n {
            text = text.trim_end_matches([' ', '\t']);
        }
        if i > 0 && text.is_empty() && i + 1 < n {
            pending_breaks += 1;
            continue;
        }
        if i > 0 && !escaped_break {
            if pending_breaks == 0 {
                out.push_mapped(' ', prev_break_at, prev_break_at + 1);
            }
            for _ in 0..pending_breaks {
                out.push_mapped('\n', prev_break_at, prev_break_at + 1);
            }
        }
        pending_breaks = 0;
        escaped_break = false;
        let tstart = lstart + lead;
        match s.style {
            ScalarStyle::Plain => out.push_src(text, tstart),
            ScalarStyle::SingleQuoted => {
                let mut pos = 0;
                while let Some(q) = text[pos..].find("''") {
                    out.push_src(&text[pos..pos + q], tstart + pos);
                    out.push_mapped('\'', tstart + pos + q, tstart + pos + q + 2);
                    pos += q + 2;
                }
                out.push_src(&text[pos..], tstart + pos);
            }
            _ => {
                escaped_break = double_quoted_line(text, tstart, i + 1 < n, &mut out);
            }
        }
        prev_break_at = tstart + text.len();
    }
    Some(out)
}

/// Decode one line of a double-quoted scalar; returns true if it ends with an
/// escaped line break (`\` at end of line: no folding space).
fn double_quoted_line(text: &str, at: usize, more_lines: bool, out: &mut Out) -> bool {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push_src(&text[i..i + c.len_utf8()], at + i);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            return more_lines;
        };
        let hex = |chars: &mut std::iter::Peekable<std::str::CharIndices>, n: usize| {
            let mut v = 0u32;
            for _ in 0..n {
                match chars.peek().and_then(|(_, d)| d.to_digit(16)) {
                    Some(d) => {
                        v = v * 16 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            char::from_u32(v).unwrap_or('\u{fffd}')
        };
        let decoded = match e {
            'n' => '\n',
            't' | '\t' => '\t',
            'r' => '\r',
            '0' => '\0',
            'a' => '\x07',
            'b' => '\x08',
            'e' => '\x1b',
            'f' => '\x0c',
            'v' => '\x0b',
            ' ' => ' ',
            '/' => '/',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' => hex(&mut chars, 2),
            'u' => hex(&mut chars, 4),
            'U' => hex(&mut chars, 8),
            other => other,
        };
        let end = chars.peek().map_or(text.len(), |&(j, _)| j);
        out.push_mapped(decoded, at + i, at + end);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::{Command, WordPart};
    use super::*;

    /// (line, column), both 1-based, of a byte offset.
    fn line_col(text: &str, off: u32) -> (usize, usize) {
        let before = &text[..off as usize];
        let line = before.matches('\n').count() + 1;
        let col = before.len() - before.rfind('\n').map_or(0, |p| p + 1) + 1;
        (line, col)
    }

    fn cmd<'s>(s: &'s Script, name: &str, arg0: &str) -> &'s Command {
        s.commands
            .iter()
            .find(|c| {
                c.name.literal().as_deref() == Some(name)
                    && c.args.first().and_then(|a| a.literal()).as_deref() == Some(arg0)
            })
            .unwrap_or_else(|| panic!("no `{name} {arg0}` in {:#?}", s.commands))
    }

    const GH: &str = r#"name: deploy
on: [push]
env:
  AZURE_SUBSCRIPTION: ${{ secrets.SUB }}
defaults:
  run:
    shell: bash
jobs:
  infra:
    runs-on: ubuntu-latest
    env:
      RG: rg-prod
    steps:
      - uses: actions/checkout@v4
      - name: create identity
        run: |
          set -euo pipefail
          az identity create -g "$RG" -n id1
          PRINCIPAL=$(az identity show -g "$RG" -n id1 --query principalId -o tsv)
          az role assignment create --assignee-object-id "$PRINCIPAL" --role Reader --scope "/subscriptions/${{ secrets.SUB }}"
        env:
          EXTRA: x
      - run: az login --service-principal -u ${{ vars.CLIENT_ID }} -p '${{ secrets.CLIENT_SECRET }}' --tenant t
      - run: "az group create -n \"rg\" -l westeurope"
      - shell: pwsh
        run: >-
          New-AzRoleAssignment -ObjectId $id -RoleDefinitionName Owner
          -Scope /subscriptions/x
      - uses: azure/cli@v2
        with:
          inlineScript: |
            az keyvault secret set --vault-name kv --name pw --value "${{ secrets.PW }}"
      - uses: azure/powershell@v2
        with:
          azPSVersion: latest
          inlineScript: |-
            $sec = ConvertTo-SecureString '${{ secrets.PW }}' -AsPlainText -Force
      - shell: python
        run: print("not a shell")
"#;

    #[test]
    fn github_workflow_scripts_and_exact_spans() {
        let path = Path::new("repo/.github/workflows/deploy.yml");
        assert_eq!(detect_yaml_kind(path, GH), Some(YamlKind::GitHubActions));
        let scripts = extract(GH, YamlKind::GitHubActions).unwrap();
        let shells: Vec<_> = scripts.iter().map(|s| s.shell).collect();
        use Shell::*;
        assert_eq!(shells, [Bash, Bash, Bash, PowerShell, Bash, PowerShell]);
        assert!(scripts.iter().all(|s| s.map.exact), "{scripts:#?}");

        let first = &scripts[0];
        assert_eq!(first.location, "jobs.infra.steps[1].run");
        let env: Vec<_> = first.env.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(env, ["AZURE_SUBSCRIPTION", "RG", "EXTRA"]);
        assert_eq!(first.env[1].1.slice(GH), "RG");

        // Column 12 of the 3rd script line maps to the same column, shifted by the
        // block indentation, on the 3rd line of the block in the YAML file.
        let third_line_start = first.text.match_indices('\n').nth(1).unwrap().0 + 1;
        let off = first.map.to_yaml((third_line_start + 11) as u32);
        let run_line = GH
            .lines()
            .position(|l| l.trim_start().starts_with("run: |"))
            .unwrap()
            + 1;
        assert_eq!(line_col(GH, off), (run_line + 3, 10 + 12));

        let s = first.parse();
        assert_eq!(s.errors, vec![]);
        let show = cmd(&s, "az", "identity");
        assert_eq!(show.span.slice(GH), "az identity create -g \"$RG\" -n id1");
        let ra = cmd(&s, "az", "role");
        let scope = ra.option("--scope").unwrap();
        assert_eq!(
            scope.span.slice(GH),
            "\"/subscriptions/${{ secrets.SUB }}\""
        );
        let Some(WordPart::Variable {
            name, origin, span, ..
        }) = scope.parts.last()
        else {
            panic!("{scope:?}")
        };
        assert_eq!(
            (name.as_str(), *origin),
            ("secrets.SUB", VarOrigin::TemplateExpression)
        );
        assert_eq!(span.slice(GH), "${{ secrets.SUB }}");

        // Plain one-liner, with an expression inside single quotes.
        let login = scripts[1].parse();
        let c = cmd(&login, "az", "login");
        assert_eq!(
            c.span.slice(GH),
            &GH[GH.find("az login").unwrap()..GH.find(" --tenant t").unwrap() + 11]
        );
        let p = c.option("-p").unwrap();
        assert_eq!(p.span.slice(GH), "'${{ secrets.CLIENT_SECRET }}'");
        assert!(
            matches!(&p.parts[..], [WordPart::Variable { name, .. }] if name == "secrets.CLIENT_SECRET")
        );
        let u = c.option("-u").unwrap();
        assert_eq!(u.parts.len(), 1);
        assert_eq!(u.as_variable(), Some("vars.CLIENT_ID"));

        // Double-quoted YAML scalar with escapes.
        let dq = scripts[2].parse();
        let c = cmd(&dq, "az", "group");
        assert_eq!(c.option("-n").unwrap().literal().as_deref(), Some("rg"));
        assert_eq!(c.option("-n").unwrap().span.slice(GH), "\\\"rg\\\"");
        assert_eq!(c.option("-l").unwrap().span.slice(GH), "westeurope");

        // Folded `>-`: both lines are one command; the second line's parameter maps back exactly.
        let folded = scripts[3].parse();
        let c = &folded.commands[0];
        assert_eq!(
            c.option("-Scope").unwrap().span.slice(GH),
            "/subscriptions/x"
        );
        assert_eq!(
            c.option("-RoleDefinitionName").unwrap().span.slice(GH),
            "Owner"
        );

        let cli = scripts[4].parse();
        let v = cmd(&cli, "az", "keyvault").option("--value").unwrap();
        assert_eq!(v.span.slice(GH), "\"${{ secrets.PW }}\"");
        assert_eq!(v.as_variable(), Some("secrets.PW"));

        let ps = scripts[5].parse();
        let cts = &ps.commands[0];
        assert_eq!(cts.args[0].as_variable(), Some("secrets.PW"));
        assert_eq!(cts.args[0].span.slice(GH), "'${{ secrets.PW }}'");
    }

    const AZP: &str = r#"trigger:
  - main
variables:
  - name: rgName
    value: rg-app
  - group: secrets
stages:
  - stage: Deploy
    jobs:
      - job: infra
        variables:
          subId: 0000
        steps:
          - script: az group create -n $(rgName) -l westeurope
            displayName: rg
          - bash: |
              echo "build $(Build.BuildId) on $(date)"
              az identity create -g $(rgName) -n id1
            env:
              ARM_CLIENT_SECRET: $(clientSecret)
          - task: AzureCLI@2
            inputs:
              azureSubscription: conn
              scriptType: pscore
              scriptLocation: inlineScript
              inlineScript: |
                $p = az identity show -g $(rgName) -n id1 --query principalId -o tsv
                New-AzRoleAssignment -ObjectId $p -RoleDefinitionName Reader -Scope "/subscriptions/$(subId)"
          - task: AzureCLI@2
            inputs:
              scriptType: bash
              inlineScript: 'az vm create -g rg -n vm --admin-password ''$(vmPassword)'''
          - task: AzurePowerShell@5
            inputs:
              ScriptType: InlineScript
              Inline: |
                $cred = [pscredential]::new('admin', (ConvertTo-SecureString $[variables.pw] -AsPlainText -Force))
          - task: PowerShell@2
            inputs:
              targetType: inline
              script: Write-Host "${{ parameters.env }}"
          - task: Bash@3
            inputs:
              targetType: inline
              script: az account show
          - pwsh: Get-AzContext
"#;

    #[test]
    fn azure_pipelines_scripts_and_macros() {
        let path = Path::new("pipelines/azure-pipelines.yml");
        assert_eq!(detect_yaml_kind(path, AZP), Some(YamlKind::AzurePipelines));
        assert_eq!(
            detect_yaml_kind(Path::new("ci/build.yaml"), AZP),
            Some(YamlKind::AzurePipelines)
        );
        assert_eq!(
            detect_yaml_kind(Path::new("k8s/deploy.yaml"), "apiVersion: v1\nkind: Pod\n"),
            None
        );
        let scripts = extract(AZP, YamlKind::AzurePipelines).unwrap();
        use Shell::*;
        let shells: Vec<_> = scripts.iter().map(|s| s.shell).collect();
        assert_eq!(
            shells,
            [
                Bash, Bash, PowerShell, Bash, PowerShell, PowerShell, Bash, PowerShell
            ]
        );
        assert!(scripts.iter().all(|s| s.map.exact), "{scripts:#?}");

        let s0 = scripts[0].parse();
        let n = s0.commands[0].option("-n").unwrap();
        assert_eq!(n.span.slice(AZP), "$(rgName)");
        assert!(
            matches!(&n.parts[..], [WordPart::Variable { name, origin: VarOrigin::PipelineMacro, .. }] if name == "rgName")
        );
        let env: Vec<_> = scripts[0].env.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(env, ["rgName", "subId"]);

        let s1 = scripts[1].parse();
        assert_eq!(scripts[1].env.last().unwrap().0, "ARM_CLIENT_SECRET");
        // `$(date)` stays a command substitution, `$(Build.BuildId)` is a macro.
        let echo = &s1.commands[0];
        let parts = &echo.args[0].parts;
        assert!(
            parts
                .iter()
                .any(|p| matches!(p, WordPart::Variable { name, .. } if name == "Build.BuildId"))
        );
        assert!(
            parts
                .iter()
                .any(|p| matches!(p, WordPart::CommandSubstitution { .. }))
        );
        let create = cmd(&s1, "az", "identity");
        let (line, col) = line_col(AZP, create.option("-n").unwrap().span.start);
        let expect_line = AZP
            .lines()
            .position(|l| l.contains("az identity create -g $(rgName)"))
            .unwrap()
            + 1;
        assert_eq!(
            (line, col),
            (
                expect_line,
                15 + "az identity create -g $(rgName) -n ".len()
            )
        );

        let s2 = scripts[2].parse();
        let ra = s2
            .commands
            .iter()
            .find(|c| c.name.literal().as_deref() == Some("New-AzRoleAssignment"))
            .unwrap();
        let scope = ra.option("-Scope").unwrap();
        assert_eq!(scope.span.slice(AZP), "\"/subscriptions/$(subId)\"");
        assert!(
            matches!(scope.parts.last(), Some(WordPart::Variable { name, origin: VarOrigin::PipelineMacro, .. }) if name == "subId")
        );
        assert_eq!(s2.assignments[0].name, "p");

        let s3 = scripts[3].parse();
        let pw = s3.commands[0].option("--admin-password").unwrap();
        assert_eq!(pw.as_variable(), Some("vmPassword"));
        assert_eq!(pw.span.slice(AZP), "''$(vmPassword)''");

        let s4 = scripts[4].parse();
        let cts = s4
            .commands
            .iter()
            .find(|c| c.name.literal().as_deref() == Some("ConvertTo-SecureString"))
            .unwrap();
        assert!(
            matches!(&cts.args[0].parts[..], [WordPart::Variable { name, origin: VarOrigin::RuntimeExpression, .. }] if name == "variables.pw")
        );

        let s5 = scripts[5].parse();
        assert_eq!(s5.commands[0].args[0].as_variable(), Some("parameters.env"));
    }

    #[test]
    fn yaml_errors_and_garbage_do_not_panic() {
        assert!(extract("jobs: [\n  - {", YamlKind::GitHubActions).is_err());
        let deep = "[".repeat(100_000);
        let _ = extract(&deep, YamlKind::AzurePipelines);
        let _ = extract(
            "jobs:\n  a:\n    steps:\n      - run: |\n",
            YamlKind::GitHubActions,
        );
        let _ = extract(
            "\u{feff}jobs: {a: {steps: [{run: \"é\\u00e9 $x\"}]}}",
            YamlKind::GitHubActions,
        )
        .unwrap();
        let bin: String = (0..5000u32)
            .map(|i| char::from_u32(i % 300).unwrap_or(' '))
            .collect();
        let _ = extract(&bin, YamlKind::GitHubActions);
    }

    #[test]
    fn crlf_and_composite_actions() {
        let y = "runs:\r\n  using: composite\r\n  steps:\r\n    - shell: bash\r\n      run: |\r\n        az identity create \\\r\n          -g rg -n id1\r\n";
        assert_eq!(
            detect_yaml_kind(Path::new("a/action.yml"), y),
            Some(YamlKind::GitHubActions)
        );
        let scripts = extract(y, YamlKind::GitHubActions).unwrap();
        assert_eq!(scripts.len(), 1);
        assert!(scripts[0].map.exact, "{:?}", scripts[0]);
        let s = scripts[0].parse();
        let c = &s.commands[0];
        assert_eq!(c.option("-n").unwrap().span.slice(y), "id1");
        assert_eq!(c.option("-g").unwrap().span.slice(y), "rg");
    }

    #[test]
    fn block_scalar_chomping_and_blank_lines() {
        let y = "steps:\n  - bash: |+\n      a\n\n        b\n\n  - bash: >\n      x\n      y\n\n      z\n        w\n";
        let scripts = extract(y, YamlKind::AzurePipelines).unwrap();
        assert!(scripts.iter().all(|s| s.map.exact), "{scripts:#?}");
        assert_eq!(scripts[0].text, "a\n\n  b\n\n");
        assert_eq!(scripts[1].text, "x y\nz\n  w\n");
        let b = scripts[0].text.find('b').unwrap() as u32;
        assert_eq!(&y[scripts[0].map.to_yaml(b) as usize..][..1], "b");
    }
}
