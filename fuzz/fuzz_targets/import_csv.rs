//! Any bytes as a CSV submission file: the importer must never panic, and what it
//! accepts must be households it could write back out and read again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    resettle::import::check_round_trip(resettle::import::read_csv(data, today), today);
});
