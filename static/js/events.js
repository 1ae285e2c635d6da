// Event page: reveal the "Print this page" button and open the print dialog (without JS it stays hidden).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
