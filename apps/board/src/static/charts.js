// Draws every chart of the page with ECharts (served by the board, /static/vendor/echarts.min.js) from
// the JSON its figure names; the table beside it already holds every figure, so without JavaScript, or
// when the data cannot be fetched, nothing is lost.
(() => {
  const series = {
    progress: (data) => ({
      x: data.rows.map((r) => r.day),
      lines: [
        { key: 'problemsSolved', name: data.labels?.problemsSolved ?? '解题' },
        { key: 'targetProblemsSolved', name: data.labels?.targetProblemsSolved ?? '目标', dashed: true },
        { key: 'wishesFulfilled', name: data.labels?.wishesFulfilled ?? '圆梦' },
        { key: 'targetWishesFulfilled', name: data.labels?.targetWishesFulfilled ?? '目标', dashed: true },
      ],
    }),
  };
  const draw = async (element) => {
    const url = element.getAttribute('data-chart');
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    const data = await response.json();
    const chart = data.chart ?? { kind: 'line', ...series.progress(data) };
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
              showSymbol: false,
              lineStyle: l.dashed ? { type: 'dashed' } : undefined,
              data: chart.values ? chart.values[l.key] : data.rows.map((r) => r[l.key]),
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
