// Progressive enhancement only: every page works without this file.
// Submit the language form as soon as a language is picked.
document.addEventListener("change", (e) => {
  const sel = e.target;
  if (sel instanceof HTMLSelectElement && sel.id === "lang-select" && sel.form) sel.form.submit();
});
