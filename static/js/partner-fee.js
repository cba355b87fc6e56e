// The partner fee, live: the regular fee minus the largest discount of the ticked networks.
// Same rule as partners/fees.py; the server computes the fee again and shows it before sending.
const form = document.querySelector("[data-fee-form]");

function euro(amount) {
  return "€ " + String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

if (form) {
  const regular = Number(form.dataset.regularFee) || 0;
  const labelTemplate = form.dataset.discountLabel || "";
  const panel = form.querySelector("[data-fee-panel]");
  const boxes = [...form.querySelectorAll('input[type="checkbox"][data-discount]')];

  const update = () => {
    let best = 0;
    let network = "";
    for (const box of boxes) {
      const amount = Number(box.dataset.discount) || 0;
      if (box.checked && amount > best) {
        best = amount;
        network = box.dataset.network || "";
      }
    }
    const discount = Math.min(best, Math.max(regular, 0));
    panel.querySelector("[data-fee-regular]").textContent = euro(regular);
    panel.querySelector("[data-fee-discount]").textContent = euro(discount);
    panel.querySelector("[data-fee-discount-label]").textContent = labelTemplate.replace("{network}", network);
    panel.querySelector("[data-fee-discount-row]").hidden = discount === 0;
    panel.querySelector("[data-fee-total]").textContent = euro(regular - discount);
  };

  if (panel) {
    boxes.forEach((box) => box.addEventListener("change", update));
    // Without JavaScript a button recalculates on the server; with it the fee follows every tick.
    form.querySelector("[data-fee-recalculate]")?.setAttribute("hidden", "");
    update();
  }
}
