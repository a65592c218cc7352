// Filter boxes over key/value tables (config, summary): hide rows whose key does not match.
for (const input of document.querySelectorAll(".kv-filter")) {
  const table = document.getElementById(input.dataset.table);
  if (!table) continue;
  input.addEventListener("input", () => {
    const text = input.value.trim().toLowerCase();
    for (const row of table.rows) {
      row.classList.toggle("hidden", !!text && !row.cells[0].textContent.toLowerCase().includes(text));
    }
  });
}
