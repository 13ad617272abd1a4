import { ComingLater } from '../../_components/ComingLater';
import { requirePageUser } from '../../_server/guard';

export default async function ForecastPage() {
  await requirePageUser('forecast');
  return (
    <ComingLater
      title="Forecast"
      what="Walk-forward backtests of LSTM, GRU, Transformer, TCN, ESN and MLP price forecasters beside naive baselines."
    />
  );
}
