//! A private PostgreSQL server for tests: `initdb` into a fresh directory, `postgres` on a free
//! loopback port (no Unix socket), password authentication (SCRAM) for one role, as a
//! non-root user (`nobody` when the tests run as root, as in CI; PostgreSQL refuses root).
//!
//! [`shared`] starts one server per test process and hands each caller a database of its own
//! ([`fresh_database`]); the server stops with the process (the parent-death signal set by
//! `setpriv`, from a thread that lives as long as the process) and its directory is swept by
//! the next start. [`PgServer::start`] gives a test a server of its own to stop and start.
//!
//! Settings for speed, on purpose: `fsync=off` (the tests kill clients, never the machine; the
//! benchmark states its own settings).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const ROLE: &str = "cardbind";

/// A running PostgreSQL server.
pub struct PgServer {
    dir: PathBuf,
    port: u16,
    password: String,
    child: Mutex<Option<Child>>,
    owned: bool,
    durable: bool,
    tls: bool,
}

/// Where PostgreSQL's programs are: `CARDBIND_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`.
pub fn bin_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARDBIND_PG_BIN") {
        return PathBuf::from(d);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b).unwrap_or_else(|| {
        panic!("PostgreSQL is not installed: run `make test` (or scripts/setup.sh), which installs it")
    })
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

/// A command run as the server's user: ourselves, or `nobody` when we are root.
fn as_server_user(program: &Path, pdeathsig: bool) -> Command {
    if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"]);
        if pdeathsig {
            c.arg("--pdeathsig=INT");
        }
        c.arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// Remove what servers of test processes that are gone left behind.
fn sweep(tmp: &Path) {
    for e in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix("cardbind-pg-")) else { continue };
        let Some(pid) = rest.split('-').next() else { continue };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl PgServer {
    /// A server of the caller's own, stopped on drop.
    pub fn start() -> PgServer {
        Self::start_inner(true, false, false)
    }

    /// The same with the server's defaults for durability (`fsync` on), for benchmarks.
    pub fn start_durable() -> PgServer {
        Self::start_inner(true, true, false)
    }

    /// A server that speaks TLS with a certificate for `localhost` and `127.0.0.1` issued by a
    /// CA made for it ([`PgServer::ca_file`]).
    pub fn start_tls() -> PgServer {
        Self::start_inner(true, false, true)
    }

    /// The PEM file of the CA that issued a TLS server's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    fn make_certificates(dir: &Path) {
        let run = |args: &[&str]| {
            let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl is installed");
            assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n").unwrap();
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=cardbind test CA",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ]);
    }

    fn start_inner(owned: bool, durable: bool, tls: bool) -> PgServer {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let tmp = std::env::temp_dir();
        sweep(&tmp);
        let dir = tmp.join(format!("cardbind-pg-{}-{}", std::process::id(), SEQ.fetch_add(1, Ordering::SeqCst)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let password = format!("pw{:016x}", rand_u64());
        std::fs::write(dir.join("pwfile"), &password).unwrap();
        if tls {
            Self::make_certificates(&dir);
        }
        if is_root() {
            let ok = Command::new("chown").args(["-R", "nobody:nogroup"]).arg(&dir).status().unwrap().success();
            assert!(ok, "cannot give {} to nobody", dir.display());
        }
        let bin = bin_dir();
        let out = as_server_user(&bin.join("initdb"), false)
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-U", ROLE, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
            .arg(format!("--pwfile={}", dir.join("pwfile").display()))
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("initdb: {e}"));
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        if tls {
            // PostgreSQL refuses a key others can read.
            let ok = Command::new("chmod").arg("600").arg(dir.join("server.key")).status().unwrap().success();
            assert!(ok);
        }
        let server = PgServer { dir, port: crate::free_port(), password, child: Mutex::new(None), owned, durable, tls };
        server.run();
        server
    }

    /// Start the server process (again), from a thread that outlives every test thread: the
    /// parent-death signal fires when the thread that spawned the child ends.
    fn run(&self) {
        let bin = bin_dir();
        let data = self.dir.join("data");
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join("log")).unwrap();
        let port = self.port;
        let fsync = if self.durable { "fsync=on" } else { "fsync=off" };
        let mut tls: Vec<String> = Vec::new();
        if self.tls {
            for (k, f) in [("ssl_cert_file", "server.crt"), ("ssl_key_file", "server.key")] {
                tls.extend(["-c".to_string(), format!("{k}={}", self.dir.join(f).display())]);
            }
            tls.extend(["-c".to_string(), "ssl=on".to_string()]);
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let child = as_server_user(&bin.join("postgres"), true)
                .arg("-D")
                .arg(&data)
                .arg("-p")
                .arg(port.to_string())
                .args(["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", fsync])
                .args(["-c", "max_connections=200"])
                .args(&tls)
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn();
            let _ = tx.send(child);
            loop {
                std::thread::park();
            }
        });
        let child = rx.recv().unwrap().unwrap_or_else(|e| panic!("postgres: {e}"));
        *self.child.lock().unwrap() = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if self.admin("SELECT 1").is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "PostgreSQL did not start: {}",
                std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stop the server (fast shutdown: clients are cut off); [`PgServer::resume`] starts it again
    /// on the same port with the same data.
    pub fn stop(&self) {
        if let Some(mut c) = self.child.lock().unwrap().take() {
            let _ = Command::new("kill").arg("-INT").arg(c.id().to_string()).status();
            let _ = c.wait();
        }
    }

    pub fn resume(&self) {
        self.run();
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name` on this server, without TLS.
    pub fn url(&self, name: &str) -> String {
        format!("{}?sslmode=disable", self.url_bare(name, "127.0.0.1"))
    }

    /// The URL of database `name` at `host`, with no TLS mode (the app's default applies).
    pub fn url_bare(&self, name: &str, host: &str) -> String {
        format!("postgresql://{ROLE}:{}@{host}:{}/{name}", self.password, self.port)
    }

    /// Run SQL on the `postgres` database (from a thread of its own: the synchronous client must
    /// not run inside a tokio runtime, and tests often are).
    pub fn admin(&self, sql: &str) -> Result<(), String> {
        let url = self.url("postgres");
        let sql = sql.to_owned();
        std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).map_err(|e| e.to_string())?;
            c.batch_execute(&sql).map_err(|e| e.to_string())
        })
        .join()
        .unwrap()
    }

    /// A new, empty database; its URL.
    pub fn fresh_database(&self) -> String {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let name = format!("t{}_{}", std::process::id(), SEQ.fetch_add(1, Ordering::SeqCst));
        self.admin(&format!("CREATE DATABASE {name}")).unwrap_or_else(|e| panic!("CREATE DATABASE: {e}"));
        self.url(&name)
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if self.owned {
            self.stop();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The test process's shared server, started on first use.
pub fn shared() -> &'static PgServer {
    static SERVER: OnceLock<PgServer> = OnceLock::new();
    SERVER.get_or_init(|| PgServer::start_inner(false, false, false))
}

/// A new, empty database on the shared server; its URL.
pub fn fresh_database() -> String {
    shared().fresh_database()
}

/// Which database the backend-neutral suites use: `postgres` when `CARDBIND_TEST_DB=postgres`
/// (`make test` runs those suites once each way), else SQLite.
pub fn wants_postgres() -> bool {
    std::env::var("CARDBIND_TEST_DB").is_ok_and(|v| v == "postgres")
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id()));
    h.finish()
}
