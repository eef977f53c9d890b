// Only the Chart.js pieces the lab draws with, so esbuild can tree-shake the rest away
// (bars, floating bars for timelines, lines for speedup curves, tooltips and legends).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from "chart.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LogarithmicScale,
  LineElement,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  Legend,
);

export { Chart };
