// Where a vendor's API is: an http:// or https:// URL, as a provider's base_url is written.

/** The settings `pattern` of an API root: a scheme fetch can reach and a host; kept plain JSON Schema, as the duration's. */
export const HTTP_URL_PATTERN = "^https?://[^\\s/?#]+[^\\s]*$";
