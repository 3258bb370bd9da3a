pub mod api;
pub mod pages;

use qy_kernel::{Error, ErrorKind, Result};
use qy_web::AppState;

/// Login attempts per client address and per user name, per minute, on this instance.
/// Account lockout (in the database) is what holds across instances.
pub(crate) fn check_login_rate(state: &AppState, ip: &str, username: &str) -> Result<()> {
    let now = state.now_ms();
    let by_ip = state.limiter.hit(&format!("identity.login.ip:{ip}"), 30, 60_000, now);
    let by_user =
        state.limiter.hit(&format!("identity.login.user:{}", username.trim().to_lowercase()), 10, 60_000, now);
    if by_ip && by_user {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::TooManyRequests,
            "identity.rate_limited",
            "too many login attempts; wait a minute and try again",
        ))
    }
}
