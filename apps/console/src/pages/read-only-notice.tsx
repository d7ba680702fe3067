/** What a person with a read key is told where replays would be offered. */
export function ReadOnlyNotice() {
  return (
    <p class="notice info" role="status">
      This key may only read: starting, continuing or cancelling a replay needs a key with the operate role.
    </p>
  );
}
