import { rolesText, useCaller } from '../api/caller-context';

/** What a person whose key lacks the operate role is told where replays would be offered. */
export function ReadOnlyNotice() {
  const { caller } = useCaller();
  if (!caller) return null;
  return (
    <p class="notice info" role="status">
      This key has the {rolesText(caller)} role{caller.roles.length === 1 ? '' : 's'}: starting, continuing or cancelling a replay needs a key with the operate role.
    </p>
  );
}
