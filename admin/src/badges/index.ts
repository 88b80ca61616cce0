import MilitaryTechIcon from '@mui/icons-material/MilitaryTech';
import { BadgeCreate, BadgeEdit, BadgeList, BadgeShow } from './BadgeViews';

export default { list: BadgeList, show: BadgeShow, edit: BadgeEdit, create: BadgeCreate, icon: MilitaryTechIcon, recordRepresentation: 'name' };
