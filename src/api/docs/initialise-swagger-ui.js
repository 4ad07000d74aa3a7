/* global window, document -- runs in the browser, not in Node */
// Starts Swagger UI on the API reference page. A file of its own, not inline, so that the page's
// Content-Security-Policy can allow only same-origin scripts. The page says where the document is.
/* global SwaggerUIBundle */
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // Off: the default validator badge asks validator.swagger.io about the document, off this host.
    validatorUrl: null,
    // Operations open with their parameters, so a reader sees what to send without a click each.
    docExpansion: 'list',
    // Keeps a pasted token (the Authorize button, once the document has a security scheme) across reloads.
    persistAuthorization: true,
  });
});
