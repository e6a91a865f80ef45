//! `make bench-add-card` (issue 20): the real window opens Add card's card form again and again
//! and prints, for the first opening after start and for the later ones, the time from
//! "Continue" to each stage: the backend's session created, Antom's frame attached, the element
//! page loaded (`SDK_END_OF_LOADING`), the form shown (faded in). The stages are the UI's own
//! `performance` marks (`ui/src/lib/binder.svelte.ts`). A benchmark, not a test: ignored by
//! `cargo test`, it prints figures and asserts nothing about speed. `CARDBIND_APP` picks the
//! binary (the release build); `BENCH_STARTS`, `BENCH_RUNS`, `BENCH_READ_MS` below;
//! `BENCH_DETAIL=1` also prints, per opening, the main thread's stalls and the element page's
//! own stages (inside Antom's frame) on the app's clock.
//! `bench_pay_3ds_page`: a charge's 3D Secure page, from "Confirm" to the challenge shown.

use crate::flows::*;
use crate::harness::{app_binary, App};
use crate::kiosk::{enter_kiosk, kiosk_step, set_up_staff, tap_digits};
use std::time::{Duration, Instant};

const STAGES: [&str; 4] = ["session", "frame", "loaded", "interactive"];

/// One opening: ms from "continue" to each stage.
async fn open_once(app: &App) -> Vec<f64> {
    open_once_after(app, Duration::ZERO).await
}

/// One opening, the consent on screen for `read` before "Continue".
async fn open_once_after(app: &App, read: Duration) -> Vec<f64> {
    app.click("[data-testid=add-card]").await;
    app.find("[data-testid=consent-text]").await;
    tokio::time::sleep(read).await;
    app.click("[data-testid=consent-accept]").await;
    app.client.execute("for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('add-card:')) performance.clearMarks(m.name); return null;", vec![]).await.unwrap();
    if std::env::var("BENCH_DETAIL").is_ok() {
        app.client.execute("window.__lag = []; let last = performance.now(); clearInterval(window.__lagId); window.__lagId = setInterval(() => { const n = performance.now(); if (n - last > 40) window.__lag.push([Math.round(last), Math.round(n - last)]); last = n; }, 5); return null;", vec![]).await.unwrap();
    }
    app.click("[data-testid=consent-continue]").await;
    let marks = stages_after_continue(app).await;
    if std::env::var("BENCH_DETAIL").is_ok() {
        detail(app).await;
    }
    app.click("[data-testid=binding-cancel]").await;
    app.click("[data-testid=alert-back]").await;
    app.find("[data-testid=add-card]").await;
    marks
}

/// The element page's own stages (inside Antom's frame), on the app's clock, for diagnosis.
async fn detail(app: &App) {
    let continue_at = app
        .client
        .execute("const m = performance.getEntriesByName('add-card:continue'); return performance.timeOrigin + m[m.length - 1].startTime;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    let outer = app
        .client
        .execute("const c = performance.getEntriesByName('add-card:continue'); const c0 = c[c.length - 1].startTime; return performance.getEntriesByType('mark').filter((m) => m.startTime >= c0).map((m) => m.name.replace('add-card:', '') + ' ' + Math.round(m.startTime - c0)).join(' · ');", vec![])
        .await
        .unwrap();
    println!("  app page: {}", outer.as_str().unwrap_or(""));
    let lag = app.client.execute("const c = performance.getEntriesByName('add-card:continue'); const c0 = c[c.length - 1].startTime; return (window.__lag || []).filter(([at]) => at >= c0 - 5).map(([at, d]) => `${Math.round(at - c0)}+${d}`).join(' ');", vec![]).await.unwrap();
    println!("  main thread blocked (at+ms): {}", lag.as_str().unwrap_or(""));
    let frame = app.find("[data-testid=antom-element] iframe").await;
    frame.enter_frame().await.unwrap();
    let inner = app
        .client
        .execute(
            "const n = performance.getEntriesByType('navigation')[0]; const o = performance.timeOrigin;
             const out = [['navigation start', o], ['response end', o + n.responseEnd], ['DOM loaded', o + n.domContentLoadedEventEnd]];
             for (const m of performance.getEntriesByType('mark')) out.push([m.name, o + m.startTime]);
             return out;",
            vec![],
        )
        .await
        .unwrap();
    app.client.enter_parent_frame().await.unwrap();
    let parts: Vec<String> = inner
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {:.0}", p[0].as_str().unwrap(), p[1].as_f64().unwrap() - continue_at))
        .collect();
    println!("  element page: {}", parts.join(" · "));
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn row(label: &str, values: &[f64]) {
    let cells: Vec<String> = values.iter().map(|v| format!("{v:>8.0}")).collect();
    println!("{label:<28}{}", cells.join(""));
}

fn summary(label: &str, runs: &[Vec<f64>]) {
    let col = |i: usize| runs.iter().map(|r| r[i]).collect::<Vec<_>>();
    row(&format!("{label}, median"), &(0..STAGES.len()).map(|i| median(col(i))).collect::<Vec<_>>());
    row(
        &format!("{label}, min"),
        &(0..STAGES.len()).map(|i| col(i).into_iter().fold(f64::MAX, f64::min)).collect::<Vec<_>>(),
    );
    row(
        &format!("{label}, max"),
        &(0..STAGES.len()).map(|i| col(i).into_iter().fold(0.0, f64::max)).collect::<Vec<_>>(),
    );
}

/// `BENCH_STARTS` launches (default 10); in each, the first opening after start, then
/// `BENCH_RUNS` later ones (default 3). Before the first "Continue" the consent stays on screen
/// for `BENCH_READ_MS` (default 3000: reading it; 0 for the worst case, a click as fast as
/// WebDriver can make it).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: make bench-add-card"]
async fn bench_add_card() {
    let env = |k: &str, d: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let (starts, runs, read_ms) = (env("BENCH_STARTS", 10), env("BENCH_RUNS", 3), env("BENCH_READ_MS", 3000));
    let (mut first, mut later) = (vec![], vec![]);
    for n in 0..starts {
        let app = App::launch(&format!("bench-add-card-{n}")).await;
        create_customer(&app, "Ana Souza").await;
        first.push(open_once_after(&app, Duration::from_millis(read_ms)).await);
        for _ in 0..runs {
            later.push(open_once(&app).await);
        }
        app.close().await;
    }
    println!(
        "\nAdd card: ms from \"Continue\" to each stage ({}; {starts} starts, consent read {read_ms} ms before the first; {} later openings)",
        app_binary(),
        later.len()
    );
    println!("{:<28}{}", "", STAGES.iter().map(|s| format!("{s:>8}")).collect::<String>());
    summary("first after start", &first);
    summary("later", &later);
}

/// ms from "Continue" to each stage, read from the page's marks once the form is shown.
async fn stages_after_continue(app: &App) -> Vec<f64> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = app
            .client
            .execute(
                "const at = (n) => { const m = performance.getEntriesByName('add-card:' + n); return m.length ? m[m.length - 1].startTime : null; };
                 const c = at('continue'); const i = at('interactive');
                 return c === null || i === null ? null : arguments[0].map((n) => at(n) - c);",
                vec![serde_json::json!(STAGES)],
            )
            .await
            .unwrap();
        if let Some(a) = v.as_array() {
            return a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect();
        }
        assert!(Instant::now() < deadline, "the card form never showed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The kiosk: attract → a language (each visitor another) → consent → number → the card form;
/// ms from the number's "Continue" to each stage. `BENCH_RUNS` visitors (default 3) per start,
/// `BENCH_STARTS` starts (default 3).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: make bench-add-card"]
async fn bench_kiosk_card_form() {
    let env = |k: &str, d: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let (starts, runs) = (env("BENCH_STARTS", 3), env("BENCH_RUNS", 3));
    let langs = ["pt", "de", "ko", "fr", "es", "it", "nl", "en"];
    let mut visits = vec![];
    for n in 0..starts {
        let app = App::launch(&format!("bench-kiosk-{n}")).await;
        set_up_staff(&app, 240).await;
        enter_kiosk(&app).await;
        for v in 0..runs {
            let lang = langs[(v as usize) % langs.len()];
            app.click(&format!("[data-testid=kiosk-lang-{lang}]")).await;
            app.click("[data-testid=kiosk-agree]").await;
            kiosk_step(&app, "number").await;
            tap_digits(&app, "kiosk-number", "912345678").await;
            app.client
                .execute("for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('add-card:')) performance.clearMarks(m.name); return null;", vec![])
                .await
                .unwrap();
            app.click("[data-testid=kiosk-number-ok]").await;
            visits.push(stages_after_continue(&app).await);
            app.click("[data-testid=binding-cancel]").await;
            app.click("[data-testid=alert-back]").await;
            kiosk_step(&app, "attract").await;
        }
        app.close().await;
    }
    println!(
        "\nKiosk: ms from the number's \"Continue\" to each stage ({}; {starts} starts, {} visitors, each in another language)",
        app_binary(),
        visits.len()
    );
    println!("{:<28}{}", "", STAGES.iter().map(|s| format!("{s:>8}")).collect::<String>());
    summary("visitor", &visits);
}

/// Wait for `css` (in the current frame) polling every 10 ms: a benchmark's stage, on the
/// test's clock (each WebDriver round trip adds a few ms).
async fn seen(app: &App, css: &str) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if app.client.find(fantoccini::Locator::Css(css)).await.is_ok() {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "{css} never showed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A charge's 3D Secure page (issue 20: "once payments exist"): ms from the charge's "Confirm"
/// to the challenge frame attached (Antom answered PAYMENT_IN_PROCESS with a challenge URL),
/// to the challenge's code field shown inside it, and, after the code is typed and sent, to
/// "approved" (the backend's inquiryPayment). On the test's clock, polled every 10 ms.
/// `BENCH_RUNS` charges (default 10) on one saved 3DS card.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: make bench-add-card"]
async fn bench_pay_3ds_page() {
    let runs = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let app = crate::payments::shop("bench-3ds").await;
    crate::payments::charge_dialog(&app, "Carla Dias", "4000000000003162").await;
    let mut out = vec![];
    for n in 0..runs {
        if n > 0 {
            app.click("[data-testid=card-row] [data-testid=card-charge]").await;
        }
        type_into(&app, "[data-testid=charge-amount]", "20.00").await;
        type_into(&app, "[data-testid=charge-description]", "Bench").await;
        app.click("[data-testid=charge-review]").await;
        app.find("[data-testid=charge-confirm]").await;
        let t0 = Instant::now();
        app.click("[data-testid=charge-confirm]").await;
        let frame_at = seen(&app, "[data-testid=charge-3ds-frame]").await;
        app.find("[data-testid=charge-3ds-frame]").await.enter_frame().await.unwrap();
        let form_at = seen(&app, "[data-testid=pay-3ds-form]:not([hidden]) [data-testid=pay-3ds-code]").await;
        type_into(&app, "[data-testid=pay-3ds-code]", "1234").await;
        let sent = Instant::now();
        app.click("[data-testid=pay-3ds-submit]").await;
        app.client.enter_parent_frame().await.unwrap();
        let approved_at = seen(&app, "[data-testid=charge-result][data-state=AUTHORISED]").await;
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
        out.push(vec![ms(t0, frame_at), ms(t0, form_at), ms(sent, approved_at)]);
        app.click("[data-testid=charge-done]").await;
    }
    app.close().await;
    println!("\nCharge with 3D Secure: ms ({}; {} charges)", app_binary(), out.len());
    println!("{:<28}{:>8}{:>8}{:>10}", "", "frame", "form", "approved");
    let col = |i: usize| out.iter().map(|r| r[i]).collect::<Vec<_>>();
    for (label, pick) in [("median", 0usize), ("min", 1), ("max", 2)] {
        let stat = |v: Vec<f64>| match pick {
            0 => median(v),
            1 => v.into_iter().fold(f64::MAX, f64::min),
            _ => v.into_iter().fold(0.0, f64::max),
        };
        println!(
            "{:<28}{:>8.0}{:>8.0}{:>10.0}",
            format!("3DS page, {label}"),
            stat(col(0)),
            stat(col(1)),
            stat(col(2))
        );
    }
}
