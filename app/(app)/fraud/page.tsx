import { ComingLater } from '../../_components/ComingLater';
import { requirePageUser } from '../../_server/guard';

export default async function FraudPage() {
  await requirePageUser('fraud');
  return (
    <ComingLater
      title="Fraud"
      what="Simulate transactions, train fraud scorers, and triage alerts within a daily budget."
    />
  );
}
