//! Copies front-end libraries installed by npm (web/package-lock.json) into OUT_DIR so the
//! binary embeds them. Without `npm ci` the files are empty and pages still work: they are
//! progressive enhancements.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/node_modules");
    let libs = [
        ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
        ("leaflet/dist/leaflet.js", "leaflet.js"),
        ("leaflet/dist/leaflet.css", "leaflet.css"),
        // The "common" build (line charts with tooltip and data zoom); pages load it lazily.
        ("echarts/dist/echarts.common.min.js", "echarts.min.js"),
    ];
    for (src, dest) in libs {
        let src = web.join(src);
        println!("cargo:rerun-if-changed={}", src.display());
        let bytes = std::fs::read(&src).unwrap_or_default();
        if bytes.is_empty() {
            println!("cargo:warning={} not found; run `npm ci --prefix web` to embed it", src.display());
        }
        if let Err(e) = std::fs::write(Path::new(&out).join(dest), bytes) {
            println!("cargo:warning=cannot write {dest}: {e}");
        }
    }
}
