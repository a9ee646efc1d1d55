//! Files are written whole or not at all: a temporary file in the same folder, synced, then renamed.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically; on any failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Refuse an output folder that cannot be one before any work is done: a path through an existing
/// file, or under a read-only folder. Like any unwritable output, a runtime failure (exit code 1).
pub fn check_output_folder(path: &Path) -> anyhow::Result<()> {
    let refuse = |why: String| {
        anyhow::anyhow!(
            "cannot create the output folder {}: {why} (fix: choose an output folder you can write to, e.g. output/)",
            path.display()
        )
    };
    // One rule for every command: --out names the folder it writes into, whose files have fixed
    // names. A path that reads as a file is a slip from another tool's habits: say so.
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .filter(|e| ["toml", "csv", "json", "png", "svg", "txt", "md"].contains(&e.as_str()));
    if let Some(extension) = extension.filter(|_| !path.is_dir()) {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        return Err(crate::error::BadInput(format!(
            "--out {}: that names a .{extension} file, but --out is always the folder a command \
             writes into, and the files in it have fixed names (fix: --out {}; `runoff new` prints \
             its scenario when --out is left out, so `> {}` saves it under a name of your choice)",
            path.display(),
            folder.display(),
            path.display()
        ))
        .into());
    }
    let existing = path
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| p.exists());
    match existing {
        Some(p) if !p.is_dir() => Err(refuse(format!("{} is a file, not a folder", p.display()))),
        Some(p) if p.metadata().is_ok_and(|m| m.permissions().readonly()) => {
            Err(refuse(format!("{} is read-only", p.display())))
        }
        _ => Ok(()),
    }
}

/// A scenario's output folder, staged: files go to a hidden sibling folder, which replaces the real one
/// only when every file is written, so a failed or interrupted run never leaves a partial set.
pub struct AtomicDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl AtomicDir {
    /// Start staging the folder `target` (created, with its parents, on commit).
    pub fn new(target: &Path) -> anyhow::Result<Self> {
        check_output_folder(target)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the output folder {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        Ok(AtomicDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Where to write a file of this folder while staging.
    pub fn path(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// Replace the target folder with the staged one.
    pub fn commit(mut self) -> anyhow::Result<()> {
        if self.target.exists() {
            std::fs::remove_dir_all(&self.target)
                .with_context(|| format!("cannot replace the old {}", self.target.display()))?;
        }
        std::fs::rename(&self.staging, &self.target)
            .with_context(|| format!("cannot move the results into {}", self.target.display()))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for AtomicDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_folder_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out").join("a");
        {
            let dir = AtomicDir::new(&target).unwrap();
            write_atomic(&dir.path("summary.json"), b"{}").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(
            std::fs::read_dir(root.path().join("out")).unwrap().count(),
            0
        );
    }

    #[test]
    fn a_committed_folder_replaces_the_old_one_whole() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("a");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("stale.png"), b"old").unwrap();
        let dir = AtomicDir::new(&target).unwrap();
        write_atomic(&dir.path("summary.json"), b"{}").unwrap();
        dir.commit().unwrap();
        assert!(target.join("summary.json").exists());
        assert!(!target.join("stale.png").exists());
    }
}
