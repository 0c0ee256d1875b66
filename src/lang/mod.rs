//! Russian language knowledge that knows nothing of plans: deadline phrases,
//! morphology, typography and the `{{ … }}` expressions of plan text.

pub mod deadline;
pub mod expr;
pub mod morph;
pub mod typo;
