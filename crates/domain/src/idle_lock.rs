//! How long an unattended window on an encrypted database stays open before it locks
//! itself: long enough not to interrupt an interview, short enough that a laptop left on a
//! table in a hosting country shows nothing for long.

use std::ops::RangeInclusive;

pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

/// A lock is always on: at least one minute, at most four hours.
pub const IDLE_LOCK_MINUTES: RangeInclusive<u32> = 1..=240;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the idle lock is {minutes} minutes; it must be from {} to {} minutes", IDLE_LOCK_MINUTES.start(), IDLE_LOCK_MINUTES.end())]
pub struct IdleLockOutOfRange {
    pub minutes: u32,
}

pub fn check_idle_lock(minutes: u32) -> Result<u32, IdleLockOutOfRange> {
    if IDLE_LOCK_MINUTES.contains(&minutes) {
        Ok(minutes)
    } else {
        Err(IdleLockOutOfRange { minutes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_lock_is_never_off_and_never_longer_than_four_hours() {
        assert!(check_idle_lock(0).is_err());
        assert_eq!(check_idle_lock(1), Ok(1));
        assert_eq!(check_idle_lock(240), Ok(240));
        assert!(check_idle_lock(241).is_err());
        assert!(check_idle_lock(DEFAULT_IDLE_LOCK_MINUTES).is_ok());
    }
}
