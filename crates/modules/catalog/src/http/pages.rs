//! Pages: the open-data portal and the catalog desk.

use axum::Router;
use qy_web::AppState;

pub const TEMPLATES: &[(&str, &str)] = &[];

pub fn router() -> Router<AppState> {
    Router::new()
}
