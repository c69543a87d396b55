//! Any bytes as a JSON submission file (see import_csv).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    resettle::import::check_round_trip(resettle::import::read_json(data, today), today);
});
