//! DOCX backend (in progress).
#[derive(Debug, thiserror::Error)]
#[error("DOCX ещё не поддерживается")]
pub struct DocxError;
pub fn render(_doc: &crate::model::Document) -> Result<Vec<u8>, DocxError> {
    Err(DocxError)
}
