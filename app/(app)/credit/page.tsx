import { ComingLater } from '../../_components/ComingLater';
import { requirePageUser } from '../../_server/guard';

export default async function CreditPage() {
  await requirePageUser('credit');
  return (
    <ComingLater
      title="Credit"
      what="Train, calibrate and explain loan-application scorers; set cut-offs and score applications."
    />
  );
}
