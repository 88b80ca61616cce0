import PeopleIcon from '@mui/icons-material/People';
import { lazyViews } from '../common/lazyViews';

const userEdit = lazyViews(() => import('./UserEdit'));
const userList = lazyViews(() => import('./UserList'));
const userShow = lazyViews(() => import('./UserShow'));

export default {
  list: userList('UserList'),
  show: userShow('UserShow'),
  edit: userEdit('UserEdit'),
  create: userEdit('UserCreate'),
  icon: PeopleIcon,
  recordRepresentation: 'email',
};
