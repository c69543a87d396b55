//! Municipality placement: the municipal refugee quotas by the distribution key;
//! placement instances, the feature model of match scores, the hard constraints every
//! plan must satisfy, explanations of infeasibility, and the greedy baseline. The exact
//! solver is the `resettle-solver` crate (it links a C++ library).

pub mod balance;
pub mod features;
pub mod forecast;
pub mod greedy;
pub mod instance;
pub mod job_offer;
pub mod key;
pub mod key_file;
pub mod outcomes;
pub mod plan;
pub mod profile;
pub mod proposal;
#[cfg(test)]
mod tests;
pub mod visitation;
pub mod wishes;
pub mod wishes_file;
