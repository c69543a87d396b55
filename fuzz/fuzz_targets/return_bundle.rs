//! Any bytes as the decrypted content of a laptop's return bundle: the reader must refuse
//! or accept without panicking, and what it accepts must be read back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ret) = resettle::bundle::parse_return(data) {
        let again = serde_json::to_vec(&ret).expect("an accepted return serialises");
        assert_eq!(resettle::bundle::parse_return(&again).expect("re-read"), ret);
    }
});
