import { BooleanInput, SelectInput, TextInput, email, required } from 'react-admin';
import { formViews } from '../common/FormViews';
import { USER_ROLES } from '../../../contract';

const roleChoices = USER_ROLES.map((r) => ({ id: r, name: r }));

// Ban state changes only through the ban/unban actions, which record a reason and an audit entry.
function UserInputs() {
  return (
    <>
      <TextInput source="email" validate={[required(), email()]} />
      <TextInput source="name" />
      <TextInput source="nickname" />
      <SelectInput source="role" choices={roleChoices} validate={required()} />
      <TextInput source="locale" />
      <BooleanInput source="is_affiliate" />
    </>
  );
}

export const { edit: UserEdit, create: UserCreate } = formViews(UserInputs, { role: 'member' });
