pub mod alerts_api;
pub mod alerts_pages;
pub mod api;
pub mod chart;
pub mod pages;
