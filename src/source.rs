//! Source files and positions. `Span` is the only position type in the program.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed; otherwise `self`).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The input syntaxes idlint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    ArmTemplate,
    ArmParameters,
    Bicep,
    BicepParam,
    Terraform,
    TerraformVars,
    Bash,
    PowerShell,
    GithubWorkflow,
    AzurePipelines,
}

impl Format {
    /// The family name used in rule metadata and documentation.
    pub fn family(self) -> FormatFamily {
        match self {
            Format::ArmTemplate | Format::ArmParameters => FormatFamily::Arm,
            Format::Bicep | Format::BicepParam => FormatFamily::Bicep,
            Format::Terraform | Format::TerraformVars => FormatFamily::Terraform,
            Format::Bash | Format::PowerShell | Format::GithubWorkflow | Format::AzurePipelines => {
                FormatFamily::Script
            }
        }
    }
}

/// Groups of formats a rule can claim to cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormatFamily {
    Arm,
    Bicep,
    Terraform,
    Script,
}

impl FormatFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            FormatFamily::Arm => "arm",
            FormatFamily::Bicep => "bicep",
            FormatFamily::Terraform => "terraform",
            FormatFamily::Script => "script",
        }
    }
}

/// One file's text with a line index.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as found on disk.
    pub path: PathBuf,
    /// Path shown to users: relative to the working directory, with `/`.
    pub display: String,
    pub text: String,
    pub format: Format,
    /// Built on first use: most files of a large run never have a position printed.
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String, format: Format) -> Self {
        SourceFile {
            path,
            display,
            text,
            format,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0u32];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i as u32 + 1));
            starts
        })
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&(offset as u32)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line_index: usize) -> Option<usize> {
        self.line_starts().get(line_index).map(|&s| s as usize)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// 1-based line and column (columns count characters, not bytes).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts()[line] as usize;
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, column + 1)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// All files of one run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
    by_path: std::collections::HashMap<PathBuf, FileId>,
}

impl SourceDb {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.by_path.entry(file.path.clone()).or_insert(id);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn find_path(&self, path: &Path) -> Option<FileId> {
        // The first file added with this path, as `add` records it.
        self.by_path.get(path).copied()
    }
}

/// Resolve `.` and `..` without touching the file system, so that paths built from a
/// reference (`../modules/x.bicep`) compare equal to discovered paths.
pub fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
