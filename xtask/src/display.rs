//! A virtual X display (Xvfb) for the end-to-end tests and the benchmark, stopped when
//! dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

pub struct VirtualDisplay {
    pub name: String,
    child: Child,
}

impl VirtualDisplay {
    pub fn start() -> Result<Self> {
        // The first display number with neither a socket nor a lock file (an X server that
        // was killed leaves its lock behind, and a new one refuses that number).
        let number = (99..199)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .context("no free X display number between :99 and :198")?;
        let name = format!(":{number}");
        let child = Command::new("Xvfb")
            .args([&name, "-screen", "0", "1280x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start Xvfb")?;
        let mut display = Self { name, child };
        let socket = format!("/tmp/.X11-unix/X{number}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !Path::new(&socket).exists() {
            if let Some(status) = display.child.try_wait()? {
                bail!("Xvfb exited at start ({status})");
            }
            if Instant::now() > deadline {
                bail!("Xvfb did not open {socket} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("Virtual display {} is up", display.name);
        Ok(display)
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
