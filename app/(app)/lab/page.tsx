import { ComingLater } from '../../_components/ComingLater';
import { requirePageUser } from '../../_server/guard';

export default async function LabPage() {
  await requirePageUser('lab');
  return (
    <ComingLater
      title="Lab"
      what="Rerun the neural-network course experiments live: playground, activations, gradients, and one page per network type."
    />
  );
}
