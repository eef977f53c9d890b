import { setSetting } from "../widget/set-setting.js";
import { addEmbedButton } from "./embed-button.js";

const card = document.querySelector("speedup-lab");
await customElements.whenDefined("speedup-lab"); // by the page's widget script
const names = await customElements.get("speedup-lab").attributeNames();
for (const [key, value] of new URLSearchParams(location.search)) {
  if (key !== "experiment" && names.includes(key)) setSetting(card, key, value);
}
addEmbedButton(card);
