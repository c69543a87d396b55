//! Municipality placement (issue 5, in progress): the municipal refugee quotas by the
//! distribution key. The placement problem itself arrives next.

pub mod key;
