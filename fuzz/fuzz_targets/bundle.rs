//! Any bytes as the decrypted content of a mission bundle: the reader must refuse or
//! accept without panicking, and what it accepts must be read back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(bundle) = resettle::bundle::parse(data) {
        let again = serde_json::to_vec(&bundle).expect("an accepted bundle serialises");
        assert_eq!(resettle::bundle::parse(&again).expect("re-read"), bundle);
    }
});
