// Draws every chart of the page with ECharts (served by the board, /static/vendor/echarts.min.js) from
// the JSON its figure names; the table beside it already holds every figure, so without JavaScript, or
// when the data cannot be fetched, nothing is lost.
(() => {
  const draw = async (element) => {
    const url = element.getAttribute('data-chart');
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    const data = await response.json();
    const chart = data.chart;
    if (chart === undefined) return;
    element.classList.add('drawn');
    const instance = echarts.init(element, null, { renderer: 'canvas' });
    const option =
      chart.kind === 'bar'
        ? {
            grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'value', max: chart.max ?? null },
            yAxis: { type: 'category', data: chart.x, inverse: true },
            series: chart.lines.map((l) => ({ type: 'bar', name: l.name, data: chart.values[l.key] })),
          }
        : {
            grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            xAxis: { type: 'category', data: chart.x },
            yAxis: { type: 'value' },
            series: chart.lines.map((l) => ({
              type: 'line',
              name: l.name,
              // Monthly lines show their points: a month standing alone between gaps is still seen.
              showSymbol: chart.x.length <= 36,
              symbolSize: 6,
              lineStyle: l.dashed ? { type: 'dashed' } : undefined,
              data: chart.values[l.key],
            })),
          };
    instance.setOption(option);
    window.addEventListener('resize', () => instance.resize());
  };
  const start = () => {
    if (typeof echarts === 'undefined') return;
    for (const element of document.querySelectorAll('[data-chart]')) draw(element).catch(() => undefined);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
