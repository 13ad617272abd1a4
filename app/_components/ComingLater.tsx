export function ComingLater({ title, what }: { title: string; what: string }) {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="card text-slate-600">
        <p className="font-medium text-slate-800">Coming in a later release.</p>
        <p className="mt-2 text-sm">{what}</p>
      </div>
    </div>
  );
}
