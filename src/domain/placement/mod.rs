//! Municipality placement (issue 5, in progress): the municipal refugee quotas by the
//! distribution key; placement instances, the hard constraints every plan must satisfy,
//! explanations of infeasibility, and the greedy baseline. The optimal solver arrives next.

pub mod greedy;
pub mod instance;
pub mod key;
pub mod plan;
#[cfg(test)]
mod tests;
