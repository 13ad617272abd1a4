'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ACTIVATIONS, type ActivationName } from '@/lib/nn/activations';

/** The function and its derivative on [−5, 5]. */
export function ActivationPlot({ name }: { name: ActivationName }) {
  const info = ACTIVATIONS[name];
  const data = Array.from({ length: 201 }, (_, i) => {
    const x = -5 + i * 0.05;
    return { x: Number(x.toFixed(2)), f: info.fn(x), df: info.derivative(x) };
  });
  return (
    <div className="h-48" data-testid={`activation-plot-${name}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 5, right: 10, bottom: 0, left: -20 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="x" type="number" domain={[-5, 5]} ticks={[-4, -2, 0, 2, 4]} fontSize={11} />
          <YAxis fontSize={11} domain={['auto', 'auto']} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Line dataKey="f" name="f(x)" stroke="#1d4ed8" dot={false} isAnimationActive={false} strokeWidth={2} />
          <Line
            dataKey="df"
            name="f′(x)"
            stroke="#f59322"
            dot={false}
            isAnimationActive={false}
            strokeDasharray="4 2"
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
